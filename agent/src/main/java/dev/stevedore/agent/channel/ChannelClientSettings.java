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
 * @param statsInterval    how often the agent samples its running tasks' CPU and memory and reports them
 */
public record ChannelClientSettings(Duration idleTimeout, Duration connectTimeout, Duration backoffInitial,
                                    Duration backoffMax, Duration presignValidity, Duration statsInterval) {

    /**
     * Task stats every 10 s: the control plane keeps one point per 30 s for an hour, and a service's
     * use on {@code /metrics} is at most that old; ECS's agent publishes every 20 s.
     */
    public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofSeconds(10);

    public ChannelClientSettings {
        for (Duration d : new Duration[] {idleTimeout, connectTimeout, backoffInitial, backoffMax, presignValidity,
                statsInterval}) {
            Objects.requireNonNull(d, "durations must not be null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive: " + d);
            }
        }
    }

    /** Settings with the default stats interval. */
    public ChannelClientSettings(Duration idleTimeout, Duration connectTimeout, Duration backoffInitial,
                                 Duration backoffMax, Duration presignValidity) {
        this(idleTimeout, connectTimeout, backoffInitial, backoffMax, presignValidity, DEFAULT_STATS_INTERVAL);
    }

    /** Idle after 20 s (the server pings every 5 s), reconnect after 0.5 s doubling to 10 s. */
    public static ChannelClientSettings defaults() {
        return new ChannelClientSettings(Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofMillis(500),
                Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    public ChannelClientSettings withIdleTimeout(Duration value) {
        return new ChannelClientSettings(value, connectTimeout, backoffInitial, backoffMax, presignValidity, statsInterval);
    }

    public ChannelClientSettings withBackoff(Duration initial, Duration max) {
        return new ChannelClientSettings(idleTimeout, connectTimeout, initial, max, presignValidity, statsInterval);
    }

    public ChannelClientSettings withStatsInterval(Duration value) {
        return new ChannelClientSettings(idleTimeout, connectTimeout, backoffInitial, backoffMax, presignValidity, value);
    }
}
