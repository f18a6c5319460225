package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.control.ecs.service.ServiceMessages;
import dev.stevedore.control.ecs.service.ServiceStatus;
import dev.stevedore.control.ecs.service.Services;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.StabilityStatus;
import dev.stevedore.model.ecs.TaskSet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a service's tasks say about its task sets (the EXTERNAL controller's counterpart of
 * {@link Progress}), as a pure function: each set's counts and stability, the removal of a DRAINING
 * set with no task left, the service's counts (the sets' sums), steady state, and the DRAINING
 * service becoming INACTIVE. A service being deleted drains all of its sets.
 */
public final class TaskSetProgress {
    private TaskSetProgress() {
    }

    public static Progress.Result apply(Service service, List<ServiceTask> tasks, Instant now) {
        if (ServiceStatus.INACTIVE.equals(service.status())) {
            return new Progress.Result(service, List.of(), List.of(), Optional.empty());
        }
        boolean draining = ServiceStatus.DRAINING.equals(service.status());
        Map<String, List<ServiceTask>> bySet = tasks.stream().collect(Collectors.groupingBy(ServiceTask::deploymentId));
        List<TaskSet> sets = new ArrayList<>();
        boolean allSteady = true;
        for (TaskSet set : Services.taskSets(service)) {
            List<ServiceTask> own = bySet.getOrDefault(set.id(), List.of());
            TaskSet.Builder b = set.toBuilder();
            if (draining) {
                b.status(ServiceStatus.DRAINING);
            }
            if (ServiceStatus.DRAINING.equals(b.build().status()) && own.stream().allMatch(t -> t.summary().isStopped())) {
                continue;  // a deleted set leaves the service with its last task
            }
            int target = TaskSetPlan.target(service, b.build());
            int running = (int) own.stream().filter(ServiceTask::running).count();
            int pending = (int) own.stream().filter(ServiceTask::pending).count();
            boolean steady = running == target && pending == 0
                    && own.stream().filter(ServiceTask::active).noneMatch(ServiceTask::onDrainingInstance)
                    && own.stream().filter(ServiceTask::running)
                        .allMatch(t -> !t.healthChecked() || "HEALTHY".equals(t.summary().healthStatus()));
            String stability = steady ? StabilityStatus.STEADY_STATE : StabilityStatus.STABILIZING;
            b.computedDesiredCount(target).runningCount(running).pendingCount(pending).stabilityStatus(stability);
            if (!stability.equals(set.stabilityStatus())) {
                b.stabilityStatusAt(now);
            }
            TaskSet next = b.build();
            sets.add(next.equals(set) ? set : b.updatedAt(now).build());
            allSteady &= steady;
        }
        Service.Builder next = service.toBuilder()
                .taskSets(sets)
                .runningCount(sets.stream().mapToInt(TaskSet::runningCount).sum())
                .pendingCount(sets.stream().mapToInt(TaskSet::pendingCount).sum());
        List<String> events = new ArrayList<>();
        if (!draining && allSteady) {
            events.add(ServiceMessages.steady(service.serviceName()));
        }
        if (draining && tasks.stream().allMatch(t -> t.summary().isStopped())) {
            next.status(ServiceStatus.INACTIVE);
        }
        return new Progress.Result(next.build(), List.of(), events, Optional.empty());
    }

    /** The ARNs of the task sets {@code before} had and {@code after} has not: their tags go with them. */
    public static List<String> removed(Service before, Service after) {
        Set<String> kept = Services.taskSets(after).stream().map(TaskSet::id).collect(Collectors.toSet());
        return Services.taskSets(before).stream().filter(s -> !kept.contains(s.id())).map(TaskSet::taskSetArn).toList();
    }
}
