package dev.stevedore.model.agent;

import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;

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
 */
public record TaskAssignment(Task task, TaskDefinition taskDefinition) {

    /** The assignment of {@code task} with only the members an agent acts on. */
    public static TaskAssignment of(Task task, TaskDefinition taskDefinition) {
        Task forAgent = Task.builder()
                .taskArn(task.taskArn())
                .desiredStatus(task.desiredStatus())
                .lastStatus(task.lastStatus())
                .stopCode(task.stopCode())
                .stoppedReason(task.stoppedReason())
                .overrides(task.overrides())
                .build();
        return new TaskAssignment(forAgent, taskDefinition);
    }
}
