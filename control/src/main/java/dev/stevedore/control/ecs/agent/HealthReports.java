package dev.stevedore.control.ecs.agent;

import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;
import dev.stevedore.control.ecs.task.TaskStateChanges;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskHealthReport;
import dev.stevedore.model.ecs.ContainerDefinition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which of an agent's health reports the control plane takes, and what it records from them: only
 * for a task that was pushed to this agent (an agent speaks for its own tasks only), only for
 * containers the task definition has, only with the values ECS knows. The task's health is derived
 * from the containers', with the essential containers taken from the task definition; an agent
 * reports container health only.
 */
public final class HealthReports {
    private final TaskStateChanges tasks;

    public HealthReports(TaskStateChanges tasks) {
        this.tasks = tasks;
    }

    /** The health to record for one task. */
    record Update(String taskArn, Map<String, String> containers, List<String> essentialContainers) {
    }

    /**
     * Records the report if it is the agent's to make; whether it was.
     *
     * @param pushed the task's assignment as this agent was sent it; empty when it was not
     */
    public boolean record(InstanceRef reporter, Optional<TaskAssignment> pushed, TaskHealthReport report) {
        Optional<Update> update = plan(pushed, report);
        update.ifPresent(u -> tasks.recordHealth(reporter.scope(), reporter.cluster(), u.taskArn(), u.containers(),
                u.essentialContainers()));
        return update.isPresent();
    }

    static Optional<Update> plan(Optional<TaskAssignment> pushed, TaskHealthReport report) {
        Optional<TaskAssignment> assignment = pushed.filter(a -> report.taskArn().equals(a.task().taskArn()));
        if (assignment.isEmpty()) {
            return Optional.empty();
        }
        List<ContainerDefinition> definitions = Optional.ofNullable(assignment.get().taskDefinition()
                .containerDefinitions()).orElse(List.of());
        List<String> names = definitions.stream().map(ContainerDefinition::name).toList();
        // ECS: a container is essential unless its definition says otherwise.
        List<String> essential = definitions.stream()
                .filter(d -> !Boolean.FALSE.equals(d.essential()))
                .map(ContainerDefinition::name)
                .toList();
        Map<String, String> containers = new LinkedHashMap<>();
        report.containers().forEach((name, health) -> {
            if (names.contains(name) && TaskHealthReport.HEALTH_VALUES.contains(health)) {
                containers.put(name, health);
            }
        });
        if (containers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Update(report.taskArn(), containers, essential));
    }
}
