package dev.stevedore.bench.tasks;

import java.time.Instant;

/**
 * Epoch nanoseconds. The harness, the Docker daemon (event {@code timeNano}), the agent
 * ({@code pullStartedAt}) and the control plane ({@code startedAt}) all stamp times with this
 * machine's wall clock, so one time base lets the milestones of a sample be laid side by side.
 * {@code System.nanoTime} would be finer, but it cannot be compared with anyone else's stamps.
 */
final class WallClock {
    private WallClock() {
    }

    static long now() {
        return of(Instant.now());
    }

    static long of(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
