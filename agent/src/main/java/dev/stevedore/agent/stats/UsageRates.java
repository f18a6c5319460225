package dev.stevedore.agent.stats;

import dev.stevedore.agent.runtime.ContainerUsage;
import dev.stevedore.model.agent.TaskStatsReport.TaskUsage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns readings of cumulative CPU time into rates: a container's CPU use over an interval is the
 * CPU time it gained between two readings divided by the time between them (both the engine's
 * clock). It remembers each container's last reading, and only those of the last round, so a
 * container that is gone is forgotten with it. Not thread-safe: one sampler owns it.
 */
final class UsageRates {
    private Map<String, ContainerUsage> previous = Map.of();

    /**
     * One round of readings: for each task, its running containers' readings by container id.
     *
     * @return the use of each task all of whose containers were read in the round before too (a
     * task's first round, or a container's, gives no rate yet, and a partial sum would mislead)
     */
    List<TaskUsage> next(Map<String, Map<String, ContainerUsage>> readingsByTask) {
        Map<String, ContainerUsage> current = new HashMap<>();
        List<TaskUsage> out = new ArrayList<>();
        readingsByTask.forEach((taskArn, containers) -> {
            double cpu = 0;
            long memory = 0;
            boolean complete = !containers.isEmpty();
            for (Map.Entry<String, ContainerUsage> c : containers.entrySet()) {
                current.put(c.getKey(), c.getValue());
                ContainerUsage before = previous.get(c.getKey());
                double rate = before == null ? Double.NaN : rate(before, c.getValue());
                if (Double.isNaN(rate)) {
                    complete = false;
                } else {
                    cpu += rate;
                }
                memory += c.getValue().memoryBytes();
            }
            if (complete) {
                out.add(new TaskUsage(taskArn, cpu, memory));
            }
        });
        previous = current;
        return out;
    }

    /**
     * vCPUs used between two readings; NaN when they do not make an interval (restarted, same time, or
     * one without a time). In seconds as a double: an interval longer than 292 years, which a reading
     * without a time makes, has no count of nanoseconds in a long.
     */
    private static double rate(ContainerUsage before, ContainerUsage after) {
        if (!before.measured() || !after.measured()) {
            return Double.NaN;
        }
        Duration between = Duration.between(before.readAt(), after.readAt());
        double seconds = between.getSeconds() + between.getNano() / 1e9;
        long cpu = after.cpuNanos() - before.cpuNanos();
        return seconds <= 0 || cpu < 0 ? Double.NaN : cpu / 1e9 / seconds;
    }
}
