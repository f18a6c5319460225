package dev.stevedore.model.agent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * The complete state after {@code changes}: assignments replaced or added by task ARN, removed
     * ones dropped, in the order the tasks first appeared.
     *
     * @throws IllegalArgumentException when the changes do not follow this state (a gap), or are
     *                                  for another instance
     */
    public DesiredTasks apply(DesiredTaskChanges changes) {
        if (changes.baseRevision() != revision || changes.revision() <= revision
                || !changes.containerInstanceArn().equals(containerInstanceArn)) {
            throw new IllegalArgumentException("changes from revision " + changes.baseRevision() + " to "
                    + changes.revision() + " do not follow the state at revision " + revision);
        }
        Map<String, TaskAssignment> byArn = new LinkedHashMap<>();
        for (TaskAssignment a : tasks) {
            byArn.put(a.task().taskArn(), a);
        }
        changes.removedTaskArns().forEach(byArn::remove);
        for (TaskAssignment a : changes.tasks()) {
            byArn.put(a.task().taskArn(), a);
        }
        return new DesiredTasks(changes.protocolVersion(), containerInstanceArn, changes.revision(),
                List.copyOf(byArn.values()));
    }
}
