package dev.stevedore.agent.engine;

import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskCredentials;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The credentials of the tasks' roles on this host, by the ids they are asked for with: the task
 * role's by the task's containers, the execution role's by the host's Docker daemon (the awslogs
 * driver signs with them). Kept in memory only: the control plane hands them over again on every
 * connection.
 *
 * <p>Every id a task was given stays valid until the task stops, with the task's newest
 * credentials behind it: a container keeps the id it was created with while refreshes may bring
 * new ones. Once a task has stopped its credentials are gone for good, also if a later desired
 * state still lists it.
 */
public final class TaskCredentialsBook {

    /** A task's credentials as the endpoint serves them. */
    public record Issued(String taskArn, TaskCredentials credentials) {}

    /** Which task's which role an id was given for. */
    private record Holder(String taskArn, TaskCredentials.Role role) {}

    private final Map<String, Holder> holderById = new HashMap<>();
    /** By task ARN, then role. */
    private final Map<String, Map<TaskCredentials.Role, TaskCredentials>> newest = new HashMap<>();
    private final Set<String> ended = new HashSet<>();

    /** Takes the credentials of an assignment's roles, unless its task has stopped. */
    synchronized void offer(TaskAssignment assignment) {
        String taskArn = assignment.task().taskArn();
        if (assignment.credentials().isEmpty() || ended.contains(taskArn)) {
            return;
        }
        assignment.credentials().forEach(c -> take(taskArn, c));
    }

    private void take(String taskArn, TaskCredentials c) {
        holderById.put(c.credentialsId(), new Holder(taskArn, c.role()));
        newest.computeIfAbsent(taskArn, t -> new EnumMap<>(TaskCredentials.Role.class)).put(c.role(), c);
    }

    /**
     * New credentials of a task's roles, sent ahead of the old ones' expiry: taken only for a task the
     * book already serves (one it has not been assigned yet gets them with its assignment).
     */
    public synchronized void refresh(String taskArn, List<TaskCredentials> credentials) {
        if (!newest.containsKey(taskArn) || ended.contains(taskArn)) {
            return;
        }
        credentials.forEach(c -> take(taskArn, c));
    }

    /** The task stopped: its credentials are refused from now on. */
    synchronized void end(String taskArn) {
        ended.add(taskArn);
        newest.remove(taskArn);
        holderById.values().removeIf(h -> h.taskArn().equals(taskArn));
    }

    /** The engine forgot the task; a task of that ARN seen again is a new one. */
    synchronized void forget(String taskArn) {
        end(taskArn);
        ended.remove(taskArn);
    }

    /** The newest credentials of the role an id was given for; an id a refresh replaced still finds them. */
    public synchronized Optional<Issued> lookup(String credentialsId) {
        Holder holder = holderById.get(credentialsId);
        if (holder == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(newest.getOrDefault(holder.taskArn(), Map.of()).get(holder.role()))
                .map(c -> new Issued(holder.taskArn(), c));
    }
}
