package dev.stevedore.agent.engine;

import java.time.Instant;
import dev.stevedore.model.agent.TaskAssignment;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A task as the engine knows it at one moment (for the metadata endpoint, diagnostics and
 * tests). Statuses use the ECS spelling.
 *
 * @param lastStatus    {@code PENDING}, {@code RUNNING} or {@code STOPPED}
 * @param desiredStatus what the control plane last asked for; {@code STOPPED} once it no longer
 *                      lists the task
 * @param stopping      whether the engine is stopping the task's containers
 * @param stopCode      ECS {@code TaskStopCode} once the task is stopping
 * @param assignment    what the control plane last said of the task; absent for containers found
 *                      on the host that it has not named yet
 */
public record TaskSnapshot(
        String taskArn,
        String lastStatus,
        String desiredStatus,
        boolean stopping,
        Optional<String> stopCode,
        Optional<String> stoppedReason,
        Optional<Instant> pullStartedAt,
        Optional<Instant> pullStoppedAt,
        Optional<Instant> executionStoppedAt,
        List<ContainerSnapshot> containers,
        Optional<TaskAssignment> assignment) {

    public TaskSnapshot {
        Objects.requireNonNull(taskArn, "taskArn");
        Objects.requireNonNull(lastStatus, "lastStatus");
        Objects.requireNonNull(desiredStatus, "desiredStatus");
        Objects.requireNonNull(stopCode, "stopCode");
        Objects.requireNonNull(stoppedReason, "stoppedReason");
        Objects.requireNonNull(pullStartedAt, "pullStartedAt");
        Objects.requireNonNull(pullStoppedAt, "pullStoppedAt");
        Objects.requireNonNull(executionStoppedAt, "executionStoppedAt");
        containers = List.copyOf(containers);
        Objects.requireNonNull(assignment, "assignment");
    }

    /** The container of that name, if the task has one. */
    public Optional<ContainerSnapshot> container(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
