package dev.stevedore.model.agent;

import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import java.util.List;

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
 */
public record TaskAssignment(Task task, TaskDefinition taskDefinition, List<NetworkInterfaceAssignment> networkInterfaces) {

    public TaskAssignment {
        networkInterfaces = networkInterfaces == null ? List.of() : List.copyOf(networkInterfaces);
    }

    /** An assignment without network interfaces (every network mode but {@code awsvpc}). */
    public TaskAssignment(Task task, TaskDefinition taskDefinition) {
        this(task, taskDefinition, List.of());
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
                .build();
        return new TaskAssignment(forAgent, taskDefinition, networkInterfaces);
    }
}
