package dev.stevedore.bench.tasks;

import dev.stevedore.bench.tasks.EcsTasks.Seen;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Stevedore's side of a burst: RunTask calls of up to 10 tasks each, sent at once, then
 * DescribeTasks until every task runs. {@code cpuSeconds} covers the calls and the wait.
 */
record TaskBurst(long t0, long lastAnswered, List<String> arns, Map<String, Seen> seen, Map<String, Double> cpuSeconds) {

    static TaskBurst run(EcsTasks tasks, CpuUsage cpu, int n) throws InterruptedException {
        int calls = (n + 9) / 10;
        long[] t0 = new long[1];
        Map<String, Double> cpu0 = cpu.snapshot();
        List<AtOnce.Done<List<String>>> answers = AtOnce.run(calls, t0, i -> tasks.run(Math.min(10, n - 10 * i)));
        List<String> arns = answers.stream().flatMap(a -> a.value().stream()).toList();
        Map<String, Seen> seen = tasks.awaitRunning(arns, Duration.ofSeconds(180));
        Map<String, Double> used = CpuUsage.minus(cpu.snapshot(), cpu0);
        return new TaskBurst(t0[0], answers.stream().mapToLong(AtOnce.Done::at).max().orElseThrow(), arns, seen, used);
    }

    /** When the last task was seen RUNNING. */
    long lastSeen() {
        return seen.values().stream().mapToLong(Seen::seen).max().orElseThrow();
    }

    /** The control plane's latest {@code startedAt} of the burst. */
    long lastStartedAt() {
        return seen.values().stream().mapToLong(s -> EcsTasks.stamp(s.task().startedAt())).max().orElseThrow();
    }
}
