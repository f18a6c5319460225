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
 * <p>It carries only what the agent observes. The task's own health is the control plane's to
 * derive, from the essential containers of the task's definition; the control plane also accepts
 * reports only for tasks placed on the reporting instance.
 *
 * @param protocolVersion {@link AgentChannel#PROTOCOL_VERSION}
 * @param taskArn the task
 * @param containers each container's health by container name: HEALTHY, UNHEALTHY or UNKNOWN
 */
public record TaskHealthReport(int protocolVersion, String taskArn, Map<String, String> containers) {

    /** The values ECS uses for container and task health. */
    public static final Set<String> HEALTH_VALUES = Set.of("HEALTHY", "UNHEALTHY", "UNKNOWN");

    public TaskHealthReport {
        Objects.requireNonNull(taskArn, "taskArn");
        containers = Map.copyOf(containers);
    }

    /** A report in this side's protocol version. */
    public static TaskHealthReport of(String taskArn, Map<String, String> containers) {
        return new TaskHealthReport(AgentChannel.PROTOCOL_VERSION, taskArn, containers);
    }
}
