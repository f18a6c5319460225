package dev.stevedore.model.agent;

import java.util.List;

/**
 * What changed in one container instance's desired state since the previous push on the same
 * connection: the assignments that are new or different (whole, each with its definition) and
 * the tasks no longer listed. Applied in order to the {@link DesiredTasks} the connection began
 * with, it gives the complete state at {@code revision}; {@code baseRevision} names the state it
 * applies to, so that an agent can tell a gap (and reconnect for the whole state) from a change.
 *
 * <p>A change only the agent itself caused is not sent: a task's {@code lastStatus} moving because
 * the agent reported it is not a change of what the agent must do (see {@link TaskAssignment}).
 *
 * @param protocolVersion {@link AgentChannel#PROTOCOL_VERSION}
 * @param containerInstanceArn the instance this change is for
 * @param baseRevision the revision of the previous push on this connection
 * @param revision the revision the state is current to after this change; greater than {@code baseRevision}
 * @param tasks assignments added or changed, replacing any earlier one of the same task ARN
 * @param removedTaskArns tasks no longer listed (the control plane forgot them)
 */
public record DesiredTaskChanges(int protocolVersion, String containerInstanceArn, long baseRevision, long revision,
                                 List<TaskAssignment> tasks, List<String> removedTaskArns) {
    public DesiredTaskChanges {
        tasks = List.copyOf(tasks);
        removedTaskArns = List.copyOf(removedTaskArns);
    }
}
