package dev.stevedore.control.ecs.task;

import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.instance.InstanceSnapshots;
import dev.stevedore.control.ecs.instance.InstanceStatus;
import dev.stevedore.control.ecs.instance.TaskReservation;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Attribute;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.PlacementConstraint;
import dev.stevedore.model.ecs.PlacementStrategy;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.TaskDefinitionPlacementConstraint;
import dev.stevedore.scheduler.ClusterSnapshot;
import dev.stevedore.scheduler.InstanceState;
import dev.stevedore.scheduler.LaunchType;
import dev.stevedore.scheduler.PlacementPlan;
import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.scheduler.RequiredAttribute;
import dev.stevedore.scheduler.SchedulerException;
import dev.stevedore.scheduler.TaskRequirements;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the scheduler's view of a cluster and request, and asks the pure scheduler for a plan.
 * Applying the plan is the caller's transaction: it re-reads every chosen instance as a condition,
 * so a plan made on a stale view never commits.
 */
final class TaskPlacement {
    private TaskPlacement() {
    }

    /** A plan and the version of every instance it was made on, to detect a stale plan when applying it. */
    record Planned(PlacementPlan plan, Map<String, Long> versions) {
    }

    static Planned plan(StoreTx tx, EcsScope scope, String cluster, TaskIndex tasks, String requestId,
                              TaskDefinition td, TaskReservation reservation, int count, String group,
                              List<PlacementConstraint> constraints, List<PlacementStrategy> strategies) {
        List<ContainerInstance> instances = tx.scan(EcsKeys.containerInstances(scope, cluster), ContainerInstance.class)
                .stream().filter(i -> !InstanceStatus.INACTIVE.equals(i.status())).toList();
        if (instances.isEmpty()) {
            throw EcsErrors.invalidParameter("No Container Instances were found in your cluster.");
        }
        Map<String, Map<String, Integer>> groups = tasks.groupsByInstance(scope, cluster);
        List<InstanceState> states = new ArrayList<>();
        Map<String, Long> versions = new java.util.HashMap<>();
        for (ContainerInstance i : instances) {
            states.add(InstanceSnapshots.toState(i, groups.getOrDefault(i.containerInstanceArn(), Map.of())));
            versions.put(i.containerInstanceArn(), i.version());
        }
        try {
            PlacementRequest request = new PlacementRequest(requestId, requirements(td, reservation),
                    LaunchType.EC2, count, group, constraints(td, constraints), strategies(strategies));
            return new Planned(dev.stevedore.scheduler.Scheduler.place(ClusterSnapshot.of(states), request), versions);
        } catch (SchedulerException e) {
            throw EcsErrors.invalidParameter(e.getMessage());
        }
    }

    static TaskRequirements requirements(TaskDefinition td, TaskReservation reservation) {
        List<RequiredAttribute> required = new ArrayList<>();
        for (Attribute a : Optional.ofNullable(td.requiresAttributes()).orElse(List.of())) {
            required.add(new RequiredAttribute(a.name(), Optional.ofNullable(a.value())));
        }
        return new TaskRequirements(reservation.cpu(), reservation.memoryMiB(), reservation.tcpPorts(),
                reservation.udpPorts(), "awsvpc".equals(td.networkMode()), required);
    }

    private static List<dev.stevedore.scheduler.PlacementConstraint> constraints(
            TaskDefinition td, List<PlacementConstraint> requested) {
        List<dev.stevedore.scheduler.PlacementConstraint> out = new ArrayList<>();
        for (TaskDefinitionPlacementConstraint c : Optional.ofNullable(td.placementConstraints()).orElse(List.of())) {
            out.add(dev.stevedore.scheduler.PlacementConstraint.of(c.type(), Optional.ofNullable(c.expression())));
        }
        for (PlacementConstraint c : Optional.ofNullable(requested).orElse(List.of())) {
            out.add(dev.stevedore.scheduler.PlacementConstraint.of(c.type(), Optional.ofNullable(c.expression())));
        }
        return out;
    }

    private static List<dev.stevedore.scheduler.PlacementStrategy> strategies(List<PlacementStrategy> requested) {
        List<dev.stevedore.scheduler.PlacementStrategy> out = new ArrayList<>();
        for (PlacementStrategy s : Optional.ofNullable(requested).orElse(List.of())) {
            out.add(dev.stevedore.scheduler.PlacementStrategy.of(s.type(), Optional.ofNullable(s.field())));
        }
        return out;
    }
}
