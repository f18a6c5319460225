package dev.stevedore.control.ecs.task;

import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.elb.ServiceTargets;
import dev.stevedore.control.elb.TargetRef;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Task;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The targets a service registered in its load balancers' target groups for one task, kept so they are
 * taken out again exactly as they were put in (a target group's type or the task's bindings cannot be
 * asked again once the task is gone). Written by the service scheduler when the task reaches RUNNING;
 * marked {@code deregistered} when the task starts to stop, and deleted once it has stopped.
 *
 * @param service        the service's name (the key's), so a StopTask finds the record from the task's group
 * @param deregistered   whether the targets were deregistered and the task waits for them to drain
 */
public record TaskTargets(String taskArn, String service, List<Registration> registrations, boolean deregistered) {

    public TaskTargets {
        registrations = List.copyOf(registrations);
    }

    /** One target of the task in one target group. */
    public record Registration(String targetGroupArn, TargetRef target) {
    }

    public static String key(EcsScope scope, String cluster, String service, String taskArn) {
        return EcsKeys.taskTargets(scope, cluster, service, Tasks.idOf(taskArn));
    }

    /** The task's registered targets, if its service registered any (read as a transaction condition). */
    public static Optional<TaskTargets> read(StoreTx tx, EcsScope scope, String cluster, Task task) {
        String group = task.group();
        if (group == null || !group.startsWith("service:")) {
            return Optional.empty();
        }
        return tx.read(key(scope, cluster, group.substring(8), task.taskArn()), TaskTargets.class);
    }

    /**
     * Stops a RUNNING task the way ECS stops one behind a load balancer: desired STOPPED, last status
     * DEACTIVATING, and its targets deregistered in the same transaction, so the load balancer stops
     * sending it requests before the agent is told to stop its containers (which happens once its
     * targets have drained: the scheduler then moves it on to STOPPING).
     *
     * @return the task as written
     */
    public static Task deactivate(StoreTx tx, ServiceTargets targets, EcsScope scope, String cluster, Task task,
                                  TaskTargets registered, String stopCode, String reason, Instant at) {
        for (Registration r : registered.registrations()) {
            targets.deregister(tx, scope, r.targetGroupArn(), r.target());
        }
        tx.put(key(scope, cluster, registered.service(), task.taskArn()),
                new TaskTargets(registered.taskArn(), registered.service(), registered.registrations(), true));
        Task next = Tasks.stopRequested(task, stopCode, reason, at).toBuilder()
                .lastStatus(TaskStatus.DEACTIVATING)
                .build();
        Tasks.write(tx, scope, cluster, next);
        return next;
    }

    /** Whether a task being stopped has to leave its target groups first: it runs and its targets are still in. */
    public static boolean mustDeactivate(Task task, Optional<TaskTargets> registered) {
        return TaskStatus.RUNNING.equals(task.lastStatus()) && registered.filter(r -> !r.deregistered()).isPresent();
    }
}
