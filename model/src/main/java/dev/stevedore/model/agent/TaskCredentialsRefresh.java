package dev.stevedore.model.agent;

import java.util.List;
import java.util.Objects;

/**
 * Control plane → agent: new credentials for tasks the agent was assigned, before the ones it has
 * expire. Credentials are not desired state (nothing about the task changes, and no store revision
 * moves), so they travel beside the revisioned assignments, as ECS's agent gets role credentials in
 * a message of their own. An agent that does not run a named task ignores it.
 *
 * @param protocolVersion      {@link AgentChannel#PROTOCOL_VERSION}
 * @param containerInstanceArn the instance the message is for
 * @param tasks                each task's new credentials (one set per role)
 */
public record TaskCredentialsRefresh(int protocolVersion, String containerInstanceArn, List<TaskCredentialsSet> tasks) {

    public TaskCredentialsRefresh {
        Objects.requireNonNull(containerInstanceArn, "containerInstanceArn");
        tasks = List.copyOf(tasks);
    }

    public static TaskCredentialsRefresh of(String containerInstanceArn, List<TaskCredentialsSet> tasks) {
        return new TaskCredentialsRefresh(AgentChannel.PROTOCOL_VERSION, containerInstanceArn, tasks);
    }

    /** One task's credentials. */
    public record TaskCredentialsSet(String taskArn, List<TaskCredentials> credentials) {
        public TaskCredentialsSet {
            Objects.requireNonNull(taskArn, "taskArn");
            credentials = List.copyOf(credentials);
        }
    }
}
