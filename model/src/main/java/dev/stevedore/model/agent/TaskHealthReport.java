package dev.stevedore.model.agent;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Agent → control plane: the health of one task's containers as the agent's Docker health checks
 * see them. ECS has no API call for container health (its agent reports it on its own channel), so
 * this travels over the agent channel. The agent sends the task's complete picture whenever it
 * changes and again after reconnecting, so a lost message is repaired by the next one.
 *
 * <p>The control plane derives the task's health from the essential containers of the task's
 * definition, not from what the agent says, and only accepts reports for tasks placed on the
 * reporting instance.
 *
 * @param type {@link AgentMessages#TASK_HEALTH}
 * @param protocolVersion {@link AgentChannel#PROTOCOL_VERSION}
 * @param taskArn the task
 * @param healthStatus the task's health as the agent computed it: HEALTHY, UNHEALTHY or UNKNOWN
 * @param containers each container's health by container name, with the same values
 */
public record TaskHealthReport(String type, int protocolVersion, String taskArn, String healthStatus,
                               Map<String, String> containers) {

    /** The values ECS uses for container and task health. */
    public static final Set<String> HEALTH_VALUES = Set.of("HEALTHY", "UNHEALTHY", "UNKNOWN");

    public TaskHealthReport {
        if (!AgentMessages.TASK_HEALTH.equals(type)) {
            throw new IllegalArgumentException("not a " + AgentMessages.TASK_HEALTH + " message: " + type);
        }
        Objects.requireNonNull(taskArn, "taskArn");
        Objects.requireNonNull(healthStatus, "healthStatus");
        containers = Map.copyOf(containers);
    }

    /** A report in this side's protocol version. */
    public static TaskHealthReport of(String taskArn, String healthStatus, Map<String, String> containers) {
        return new TaskHealthReport(AgentMessages.TASK_HEALTH, AgentChannel.PROTOCOL_VERSION, taskArn, healthStatus,
                containers);
    }
}
