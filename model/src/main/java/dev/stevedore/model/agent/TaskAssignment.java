package dev.stevedore.model.agent;

import dev.stevedore.model.ecs.Container;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import java.util.List;
import java.util.Optional;

/**
 * One task an agent is responsible for, and the task definition it was started from. The task
 * carries only the members an agent acts on ({@link #of}): its ARN, desired status, stop code and
 * reason, overrides, and {@code lastStatus}.
 *
 * <p>{@code lastStatus} is there for a task the agent has no record of (after losing its state):
 * not yet started → start it; RUNNING → it ran here and is gone, report it stopped; STOPPED →
 * leave it. It moves because the agent reports, so a change of it alone is not pushed; an agent
 * meets a task it has no record of only in a complete state or on the task's first appearance,
 * where the value is current.
 *
 * <p>{@code networkInterfaces} is the task's interface for an {@code awsvpc} task (one today, as
 * ECS without trunking gives), empty otherwise; an older server that sends none gives an empty list.
 *
 * <p>{@code credentials} are the temporary credentials of the task's roles, at most one per
 * {@link TaskCredentials.Role}; empty for a task without roles, and from an older server. A
 * refresh is the same assignment with new credentials.
 *
 * <p>{@code efsVolumes} are the task's EFS volumes as the control plane resolved them, one per
 * {@code efsVolumeConfiguration}; empty from an older server.
 */
public record TaskAssignment(Task task, TaskDefinition taskDefinition, List<NetworkInterfaceAssignment> networkInterfaces,
                             List<TaskCredentials> credentials, List<EfsVolumeAssignment> efsVolumes) {

    public TaskAssignment {
        networkInterfaces = networkInterfaces == null ? List.of() : List.copyOf(networkInterfaces);
        credentials = credentials == null ? List.of() : List.copyOf(credentials);
        efsVolumes = efsVolumes == null ? List.of() : List.copyOf(efsVolumes);
        if (credentials.stream().map(TaskCredentials::role).distinct().count() != credentials.size()) {
            throw new IllegalArgumentException("at most one set of credentials per role");
        }
    }

    /** An assignment without network interfaces (every network mode but {@code awsvpc}) and without roles. */
    public TaskAssignment(Task task, TaskDefinition taskDefinition) {
        this(task, taskDefinition, List.of(), List.of(), List.of());
    }

    /** An assignment without EFS volumes. */
    public TaskAssignment(Task task, TaskDefinition taskDefinition, List<NetworkInterfaceAssignment> networkInterfaces,
                          List<TaskCredentials> credentials) {
        this(task, taskDefinition, networkInterfaces, credentials, List.of());
    }

    /** An assignment without roles. */
    public TaskAssignment(Task task, TaskDefinition taskDefinition, List<NetworkInterfaceAssignment> networkInterfaces) {
        this(task, taskDefinition, networkInterfaces, List.of(), List.of());
    }

    /** The assignment of {@code task} with only the members an agent acts on. */
    public static TaskAssignment of(Task task, TaskDefinition taskDefinition) {
        return of(task, taskDefinition, List.of());
    }

    /** The assignment of an {@code awsvpc} task, with the interface the control plane made for it. */
    public static TaskAssignment of(Task task, TaskDefinition taskDefinition,
                                    List<NetworkInterfaceAssignment> networkInterfaces) {
        Task forAgent = Task.builder()
                .taskArn(task.taskArn())
                .desiredStatus(task.desiredStatus())
                .lastStatus(task.lastStatus())
                .stopCode(task.stopCode())
                .stoppedReason(task.stoppedReason())
                .overrides(task.overrides())
                // Names and ARNs only: the task metadata endpoint answers each container's ARN.
                .containers(task.containers() == null ? null : task.containers().stream()
                        .map(c -> Container.builder().name(c.name()).containerArn(c.containerArn()).build())
                        .toList())
                .build();
        return new TaskAssignment(forAgent, taskDefinition, networkInterfaces);
    }

    /** The task role's credentials, which the task's containers get; absent for a task without a task role. */
    public Optional<TaskCredentials> taskRoleCredentials() {
        return credentialsOf(TaskCredentials.Role.TASK);
    }

    /** The execution role's credentials, which the agent uses on the task's behalf. */
    public Optional<TaskCredentials> executionRoleCredentials() {
        return credentialsOf(TaskCredentials.Role.EXECUTION);
    }

    /** This assignment with the given credentials instead of its own (a refresh). */
    public TaskAssignment withCredentials(List<TaskCredentials> value) {
        return new TaskAssignment(task, taskDefinition, networkInterfaces, value, efsVolumes);
    }

    /** This assignment with the given EFS volumes. */
    public TaskAssignment withEfsVolumes(List<EfsVolumeAssignment> value) {
        return new TaskAssignment(task, taskDefinition, networkInterfaces, credentials, value);
    }

    /** The resolution of the task volume named {@code name}, when it is an EFS volume. */
    public Optional<EfsVolumeAssignment> efsVolume(String name) {
        return efsVolumes.stream().filter(v -> v.volumeName().equals(name)).findFirst();
    }

    private Optional<TaskCredentials> credentialsOf(TaskCredentials.Role role) {
        return credentials.stream().filter(c -> c.role() == role).findFirst();
    }
}
