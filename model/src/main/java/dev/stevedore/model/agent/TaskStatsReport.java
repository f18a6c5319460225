package dev.stevedore.model.agent;

import java.util.List;
import java.util.Objects;

/**
 * Agent → control plane: the CPU and memory each of the agent's running tasks used, measured over
 * the agent's last sampling interval. Stats are a stream, not state: a report lost while the channel
 * is down is not sent again, the next one follows an interval later. The control plane takes them
 * only for tasks it pushed to the reporting agent.
 *
 * @param protocolVersion {@link AgentChannel#PROTOCOL_VERSION}
 * @param tasks           one entry per running task whose use is known (a task's first interval has
 *                        no CPU rate yet and is left out)
 */
public record TaskStatsReport(int protocolVersion, List<TaskUsage> tasks) {

    /**
     * Most tasks per message: keeps a message under the WebSocket frame size the server accepts
     * (64 KiB) even with the longest task ARNs; an agent with more running tasks sends several.
     */
    public static final int MAX_TASKS = 100;

    public TaskStatsReport {
        tasks = List.copyOf(tasks);
        if (tasks.size() > MAX_TASKS) {
            throw new IllegalArgumentException("at most " + MAX_TASKS + " tasks per report, got " + tasks.size());
        }
    }

    /** A report in this side's protocol version. */
    public static TaskStatsReport of(List<TaskUsage> tasks) {
        return new TaskStatsReport(AgentChannel.PROTOCOL_VERSION, tasks);
    }

    /**
     * One task's use: the sum over its running containers.
     *
     * @param cpuVcpus    CPU used, in vCPUs (1.0 is one core busy the whole interval)
     * @param memoryBytes memory in use less the inactive page cache, as {@code docker stats} counts it
     */
    public record TaskUsage(String taskArn, double cpuVcpus, long memoryBytes) {
        public TaskUsage {
            Objects.requireNonNull(taskArn, "taskArn");
            if (!(cpuVcpus >= 0) || Double.isInfinite(cpuVcpus) || memoryBytes < 0) {
                throw new IllegalArgumentException("use must be finite and not negative: " + cpuVcpus + " vCPUs, "
                        + memoryBytes + " bytes");
            }
        }
    }
}
