package dev.stevedore.agent.channel;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with jitter: the n-th wait is drawn uniformly from the upper half of
 * {@code min(max, initial × 2^n)}, so that agents cut off together (a server restart) do not all
 * come back in the same instant, yet none waits less than half of its step. Not thread-safe: one
 * owner per instance.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final RandomGenerator random;
    private int attempt;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The wait before the next attempt. */
    public Duration next() {
        long ceiling = initialMillis << Math.min(attempt, 30);
        if (ceiling <= 0 || ceiling > maxMillis) {
            ceiling = maxMillis;
        } else {
            attempt++;
        }
        long half = ceiling / 2;
        return Duration.ofMillis(half + random.nextLong(ceiling - half + 1));
    }

    /** After a success: the next wait starts again from the initial step. */
    public void reset() {
        attempt = 0;
    }
}
