package dev.stevedore.awsproto;

import java.util.function.LongSupplier;

/**
 * One token bucket: at most {@code capacity} tokens (the burst), refilled at {@code refillPerSecond}
 * (the sustained rate), one taken per call. Refilling is computed from the clock when a token is asked
 * for, so an idle bucket costs nothing.
 */
final class TokenBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final RateCategory category;
    private final LongSupplier nanoClock;
    /** Tokens held, in billionths of a token, so that refills of a few nanoseconds are not lost. */
    private long nanoTokens;
    private long refilledAt;

    TokenBucket(RateCategory category, LongSupplier nanoClock) {
        this.category = category;
        this.nanoClock = nanoClock;
        this.nanoTokens = category.capacity() * NANOS_PER_SECOND;
        this.refilledAt = nanoClock.getAsLong();
    }

    /** Takes one token if there is one. */
    synchronized boolean tryTake() {
        long now = nanoClock.getAsLong();
        long elapsed = Math.max(0, now - refilledAt);
        refilledAt = now;
        long full = category.capacity() * NANOS_PER_SECOND;
        // At a rate of at least one token a second, `full` nanoseconds fill the bucket; capping there keeps
        // elapsed × rate far from overflowing however long the bucket sat idle.
        nanoTokens = Math.min(full, nanoTokens + Math.min(elapsed, full) * category.refillPerSecond());
        if (nanoTokens < NANOS_PER_SECOND) {
            return false;
        }
        nanoTokens -= NANOS_PER_SECOND;
        return true;
    }
}
