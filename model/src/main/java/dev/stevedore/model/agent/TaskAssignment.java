package dev.stevedore.model.agent;

import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;

/**
 * One task an agent is responsible for: the task as the API shows it (ARN, desired status,
 * overrides, containers, version) and the task definition it was started from.
 */
public record TaskAssignment(Task task, TaskDefinition taskDefinition) {
}
