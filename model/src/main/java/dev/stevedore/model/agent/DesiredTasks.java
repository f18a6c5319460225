package dev.stevedore.model.agent;

import java.util.List;

/**
 * The whole desired state of one container instance: every task placed on it that the agent must
 * run, or must stop and report stopped, or keeps listed while stopped. The control plane sends it
 * first on every connection; after it, the same connection carries only {@link DesiredTaskChanges}.
 * An agent that reconnects therefore starts again from the whole truth (level-triggered) and
 * needs no replay.
 *
 * @param protocolVersion {@link AgentChannel#PROTOCOL_VERSION}
 * @param containerInstanceArn the instance this state is for
 * @param revision store revision the state is current to; increases with every change
 * @param tasks the tasks, each with its definition
 */
public record DesiredTasks(int protocolVersion, String containerInstanceArn, long revision,
                           List<TaskAssignment> tasks) {
    public DesiredTasks {
        tasks = List.copyOf(tasks);
    }
}
