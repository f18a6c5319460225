package dev.stevedore.control.ecs.stats;

import java.time.Instant;
import java.util.Objects;

/**
 * A task's use at one time.
 *
 * @param at          when the control plane received it (its clock, so samples of agents with skewed
 *                    clocks still line up)
 * @param cpuVcpus    CPU used over the agent's last sampling interval, in vCPUs
 * @param memoryBytes memory in use, less the inactive page cache
 */
public record TaskStatsSample(Instant at, double cpuVcpus, long memoryBytes) {
    public TaskStatsSample {
        Objects.requireNonNull(at, "at");
    }
}
