package dev.stevedore.control.ecs.agent;

import dev.stevedore.model.agent.TaskCredentials;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import java.time.Instant;
import java.util.List;

/**
 * Mints the temporary credentials of a task's roles for its agent: the task role's (the definition's
 * {@code taskRoleArn} or the override) and the execution role's. Implemented by STS; the agent channel
 * only asks.
 */
public interface TaskRoleCredentials {

    /** Fresh credentials for each role the task has and may have; none for a task without roles. */
    List<TaskCredentials> issue(Task task, TaskDefinition definition);

    /** Whether credentials expiring at {@code expiration} should be replaced at {@code now}. */
    boolean dueForRefresh(Instant expiration, Instant now);

    /** No roles anywhere: tasks get no credentials. */
    static TaskRoleCredentials none() {
        return new TaskRoleCredentials() {
            @Override
            public List<TaskCredentials> issue(Task task, TaskDefinition definition) {
                return List.of();
            }

            @Override
            public boolean dueForRefresh(Instant expiration, Instant now) {
                return false;
            }
        };
    }
}
