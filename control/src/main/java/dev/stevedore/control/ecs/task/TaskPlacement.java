package dev.stevedore.control.ecs.task;

import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.instance.TaskReservation;
import dev.stevedore.control.ecs.placement.TaskNetwork;
import dev.stevedore.model.ecs.Attribute;
import dev.stevedore.model.ecs.PlacementConstraint;
import dev.stevedore.model.ecs.PlacementStrategy;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.TaskDefinitionPlacementConstraint;
import dev.stevedore.scheduler.LaunchType;
import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.scheduler.RequiredAttribute;
import dev.stevedore.scheduler.SchedulerException;
import dev.stevedore.scheduler.TaskRequirements;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Translates a launch into the scheduler's terms: what the task needs, the constraints of its task
 * definition and of the request, and the strategies. Invalid constraints and strategies are the
 * caller's error, answered before anything is queued.
 */
final class TaskPlacement {
    private TaskPlacement() {
    }

    /**
     * @param network an awsvpc task's network: the task may only go to an instance in a zone of its
     *                subnets
     */
    static PlacementRequest request(String requestId, TaskDefinition td, TaskReservation reservation, int count,
                                    String group, List<PlacementConstraint> constraints,
                                    List<PlacementStrategy> strategies, Optional<TaskNetwork> network) {
        try {
            return new PlacementRequest(requestId, requirements(td, reservation, network), LaunchType.EC2, count, group,
                    constraints(td, constraints), strategies(strategies));
        } catch (SchedulerException e) {
            throw EcsErrors.invalidParameter(e.getMessage());
        }
    }

    static TaskRequirements requirements(TaskDefinition td, TaskReservation reservation,
                                         Optional<TaskNetwork> network) {
        List<RequiredAttribute> required = new ArrayList<>();
        for (Attribute a : Optional.ofNullable(td.requiresAttributes()).orElse(List.of())) {
            required.add(new RequiredAttribute(a.name(), Optional.ofNullable(a.value())));
        }
        return new TaskRequirements(reservation.cpu(), reservation.memoryMiB(), reservation.tcpPorts(),
                reservation.udpPorts(), "awsvpc".equals(td.networkMode()), required,
                network.map(TaskNetwork::zones).orElse(java.util.Set.of()));
    }

    private static List<dev.stevedore.scheduler.PlacementConstraint> constraints(
            TaskDefinition td, List<PlacementConstraint> requested) {
        List<dev.stevedore.scheduler.PlacementConstraint> out = new ArrayList<>();
        for (TaskDefinitionPlacementConstraint c : Optional.ofNullable(td.placementConstraints()).orElse(List.of())) {
            out.add(dev.stevedore.scheduler.PlacementConstraint.of(Optional.ofNullable(c.type()), Optional.ofNullable(c.expression())));
        }
        for (PlacementConstraint c : Optional.ofNullable(requested).orElse(List.of())) {
            out.add(dev.stevedore.scheduler.PlacementConstraint.of(Optional.ofNullable(c.type()), Optional.ofNullable(c.expression())));
        }
        return out;
    }

    private static List<dev.stevedore.scheduler.PlacementStrategy> strategies(List<PlacementStrategy> requested) {
        List<dev.stevedore.scheduler.PlacementStrategy> out = new ArrayList<>();
        for (PlacementStrategy s : Optional.ofNullable(requested).orElse(List.of())) {
            out.add(dev.stevedore.scheduler.PlacementStrategy.of(Optional.ofNullable(s.type()), Optional.ofNullable(s.field())));
        }
        return out;
    }
}
