package dev.stevedore.bench.tasks;

import java.util.Arrays;
import java.util.List;

/**
 * A set of durations in nanoseconds, with nearest-rank percentiles. With ~50 samples p99 is the
 * largest sample and p90 the fifth largest; the tables say so rather than interpolate.
 */
public record Distribution(long[] sorted) {

    public static Distribution of(List<Long> nanos) {
        return new Distribution(nanos.stream().mapToLong(Long::longValue).sorted().toArray());
    }

    public Distribution {
        sorted = sorted.clone();
        Arrays.sort(sorted);
    }

    public int count() {
        return sorted.length;
    }

    /** Nearest rank: the smallest sample with at least p% of the samples at or below it. */
    public double percentileMillis(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    public double medianMillis() {
        return percentileMillis(50);
    }

    public double minMillis() {
        return sorted.length == 0 ? Double.NaN : sorted[0] / 1e6;
    }

    public double maxMillis() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
    }

    public static String ms(double millis) {
        return Double.isNaN(millis) ? "—" : millis >= 100 ? String.format("%.0f", millis) : String.format("%.1f", millis);
    }
}
