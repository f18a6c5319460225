package dev.stevedore.agent.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Public views of a task's record (pure). */
final class Snapshots {

    private Snapshots() {}

    static TaskSnapshot of(TaskRecord r, TaskPlan plan) {
        List<ContainerSnapshot> containers = r.containers().stream()
                .map(c -> {
                    Optional<PlannedContainer> pc = plan.container(c.name());
                    boolean hasCheck = pc.map(PlannedContainer::hasHealthCheck).orElse(false);
                    return new ContainerSnapshot(c.name(), pc.map(PlannedContainer::essential).orElse(false), c.dockerId(),
                            c.phase().wire().name(), c.exitCode(), c.reason(), TaskHealth.ofContainer(hasCheck, c.health()),
                            c.networkBindings());
                })
                .toList();
        String desired = r.unwanted() ? "STOPPED"
                : r.assignment().map(a -> a.task().desiredStatus()).filter(Objects::nonNull).orElse("UNKNOWN");
        return new TaskSnapshot(r.taskArn(), r.known().name(), desired, r.stopping(),
                r.stop().map(s -> s.code().name()), r.stop().map(StopCause::reason),
                r.pullStartedAt(), r.pullStoppedAt(), r.executionStoppedAt(), containers, r.assignment());
    }

    /** The containers' health to report; empty when none of the task's containers has a health check. */
    static Optional<TaskHealthChange> health(String cluster, TaskRecord r, TaskPlan plan) {
        if (plan.containers().stream().noneMatch(PlannedContainer::hasHealthCheck)) {
            return Optional.empty();
        }
        Map<String, String> containers = new LinkedHashMap<>();
        for (ContainerRecord c : r.containers()) {
            boolean hasCheck = plan.container(c.name()).map(PlannedContainer::hasHealthCheck).orElse(false);
            containers.put(c.name(), TaskHealth.ofContainer(hasCheck, c.health()));
        }
        return Optional.of(new TaskHealthChange(cluster, r.taskArn(), containers));
    }
}
