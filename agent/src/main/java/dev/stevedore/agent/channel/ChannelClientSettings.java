package dev.stevedore.agent.channel;

import java.time.Duration;
import java.util.Objects;

/**
 * The agent channel client's timing.
 *
 * @param idleTimeout      a connection on which nothing (not even a ping) arrived for this long is
 *                         dropped and a new one made; the server pings every few seconds
 * @param connectTimeout   how long opening a connection may take
 * @param backoffInitial   first wait before reconnecting; doubles up to {@code backoffMax}, with jitter
 * @param backoffMax       longest wait before reconnecting
 * @param presignValidity  how long a presigned channel URL is valid; it is used at once
 */
public record ChannelClientSettings(Duration idleTimeout, Duration connectTimeout, Duration backoffInitial,
                                    Duration backoffMax, Duration presignValidity) {

    public ChannelClientSettings {
        for (Duration d : new Duration[] {idleTimeout, connectTimeout, backoffInitial, backoffMax, presignValidity}) {
            Objects.requireNonNull(d, "durations must not be null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive: " + d);
            }
        }
    }

    /** Idle after 20 s (the server pings every 5 s), reconnect after 0.5 s doubling to 10 s. */
    public static ChannelClientSettings defaults() {
        return new ChannelClientSettings(Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofMillis(500),
                Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    public ChannelClientSettings withIdleTimeout(Duration value) {
        return new ChannelClientSettings(value, connectTimeout, backoffInitial, backoffMax, presignValidity);
    }

    public ChannelClientSettings withBackoff(Duration initial, Duration max) {
        return new ChannelClientSettings(idleTimeout, connectTimeout, initial, max, presignValidity);
    }
}
