package dev.stevedore.bench.tasks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured start: when the caller began ({@code t0}), when it counted the container as running
 * ({@code end}, the figure compared across kinds), and the milestones seen on the way, in the order
 * they normally happen. Milestones come from different clocks' stamps on this one machine (the
 * harness, the Docker daemon, the agent, the control plane); a missing one is 0. {@code cpuSeconds}
 * is what each process used from just before t0 to just after the end.
 */
record Sample(long t0, long end, Map<String, Long> marks, Map<String, Double> cpuSeconds) {

    Sample {
        marks = new LinkedHashMap<>(marks);
        cpuSeconds = new LinkedHashMap<>(cpuSeconds);
    }

    long total() {
        return end - t0;
    }

    /** Collects samples of one kind and summarises them. */
    static final class Series {
        final String name;
        final List<Sample> samples = new ArrayList<>();

        Series(String name) {
            this.name = name;
        }

        void add(Sample s) {
            samples.add(s);
        }

        Distribution totals() {
            return Distribution.of(samples.stream().map(Sample::total).toList());
        }

        Distribution totals(int from, int to) {
            return Distribution.of(samples.subList(from, to).stream().map(Sample::total).toList());
        }

        /** Time from t0 to a milestone, over the samples that have it. */
        Distribution offset(String mark) {
            return Distribution.of(samples.stream().filter(s -> s.marks().getOrDefault(mark, 0L) != 0)
                    .map(s -> s.marks().get(mark) - s.t0()).toList());
        }

        /** Time between two milestones ("" for t0), over the samples that have both. */
        Distribution between(String from, String to) {
            return Distribution.of(samples.stream()
                    .filter(s -> (from.isEmpty() || s.marks().getOrDefault(from, 0L) != 0) && s.marks().getOrDefault(to, 0L) != 0)
                    .map(s -> s.marks().get(to) - (from.isEmpty() ? s.t0() : s.marks().get(from))).toList());
        }

        /** Mean CPU seconds per sample, by process. */
        Map<String, Double> meanCpu() {
            Map<String, Double> sum = new LinkedHashMap<>();
            samples.forEach(x -> CpuUsage.add(sum, x.cpuSeconds()));
            sum.replaceAll((k, v) -> v / Math.max(1, samples.size()));
            return sum;
        }

        /** Mean wall-clock seconds per sample. */
        double meanSeconds() {
            return samples.stream().mapToLong(Sample::total).average().orElse(0) / 1e9;
        }

        List<String> markNames() {
            return samples.isEmpty() ? List.of() : List.copyOf(samples.get(0).marks().keySet());
        }
    }
}
