package dev.stevedore.bench;

import java.util.Arrays;

/**
 * What one load phase measured: completed calls, errors, elapsed time and latency percentiles.
 */
record LoadResult(String name, long calls, long errors, double seconds, long[] latenciesNanos) {

    double perSecond() {
        return calls / seconds;
    }

    double percentileMillis(double p) {
        if (latenciesNanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = latenciesNanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1_000_000.0;
    }

    String row() {
        return String.format("| %s | %,.0f | %.2f | %.2f | %.2f | %d |", name, perSecond(), percentileMillis(50),
                percentileMillis(99), percentileMillis(99.9), errors);
    }
}
