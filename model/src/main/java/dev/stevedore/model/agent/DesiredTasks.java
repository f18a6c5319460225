package dev.stevedore.model.agent;

import java.util.List;

/**
 * The whole desired state of one container instance: every task placed on it that the agent must
 * run, or must stop and report stopped. Sent on connect and after every change, always complete,
 * so an agent that missed messages converges from the next one (level-triggered).
 *
 * @param protocolVersion {@link AgentChannel#PROTOCOL_VERSION}
 * @param containerInstanceArn the instance this state is for
 * @param revision store revision the snapshot was read at; increases with every change
 * @param tasks the tasks, each with its definition
 */
public record DesiredTasks(int protocolVersion, String containerInstanceArn, long revision,
                           List<TaskAssignment> tasks) {
    public DesiredTasks {
        tasks = List.copyOf(tasks);
    }
}
