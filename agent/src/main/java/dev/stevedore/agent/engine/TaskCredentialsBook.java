package dev.stevedore.agent.engine;

import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskCredentials;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The task-role credentials of the tasks on this host, by the ids their containers ask with. Kept
 * in memory only: the control plane hands them over again on every connection.
 *
 * <p>Every id a task was given stays valid until the task stops, with the task's newest
 * credentials behind it: a container keeps the id it was created with while refreshes may bring
 * new ones. Once a task has stopped its credentials are gone for good, also if a later desired
 * state still lists it.
 */
public final class TaskCredentialsBook {

    /** A task's credentials as the endpoint serves them. */
    public record Issued(String taskArn, TaskCredentials credentials) {}

    private final Map<String, String> taskByCredentialsId = new HashMap<>();
    private final Map<String, TaskCredentials> newest = new HashMap<>();
    private final Set<String> ended = new HashSet<>();

    /** Takes the task role's credentials of an assignment, unless its task has stopped. */
    synchronized void offer(TaskAssignment assignment) {
        String taskArn = assignment.task().taskArn();
        Optional<TaskCredentials> credentials = assignment.taskRoleCredentials();
        if (credentials.isEmpty() || ended.contains(taskArn)) {
            return;
        }
        taskByCredentialsId.put(credentials.get().credentialsId(), taskArn);
        newest.put(taskArn, credentials.get());
    }

    /**
     * New credentials of a task's roles, sent ahead of the old ones' expiry: taken only for a task the
     * book already serves (one it has not been assigned yet gets them with its assignment).
     */
    public synchronized void refresh(String taskArn, List<TaskCredentials> credentials) {
        if (!newest.containsKey(taskArn) || ended.contains(taskArn)) {
            return;
        }
        credentials.stream().filter(c -> c.role() == TaskCredentials.Role.TASK).findFirst().ifPresent(c -> {
            taskByCredentialsId.put(c.credentialsId(), taskArn);
            newest.put(taskArn, c);
        });
    }

    /** The task stopped: its credentials are refused from now on. */
    synchronized void end(String taskArn) {
        ended.add(taskArn);
        newest.remove(taskArn);
        taskByCredentialsId.values().removeIf(taskArn::equals);
    }

    /** The engine forgot the task; a task of that ARN seen again is a new one. */
    synchronized void forget(String taskArn) {
        end(taskArn);
        ended.remove(taskArn);
    }

    public synchronized Optional<Issued> lookup(String credentialsId) {
        String taskArn = taskByCredentialsId.get(credentialsId);
        return taskArn == null ? Optional.empty() : Optional.ofNullable(newest.get(taskArn)).map(c -> new Issued(taskArn, c));
    }
}
