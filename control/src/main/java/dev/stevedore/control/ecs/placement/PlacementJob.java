package dev.stevedore.control.ecs.placement;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.instance.TaskReservation;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.Failure;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.scheduler.PlacementRequest;

import java.util.List;
import java.util.Optional;

/**
 * One request for tasks, as the plan applier takes it: where to place (by the scheduler, or on
 * named instances), what each task reserves, and how to make the task records.
 *
 * @param placement the scheduler request (count, group, constraints, strategies); used when
 *                  {@code namedInstances} is empty
 * @param namedInstances StartTask's instance ARNs: one task on each, no ranking
 * @param idempotencyKey a store key that must not exist yet (RunTask's clientToken); the job is
 *                       answered {@link PlacementOutcome.AlreadyDone} if it does
 * @param placementCluster the cluster whose container instances the tasks go to: {@code cluster}
 *                       itself, or the platform pool for Fargate tasks
 * @param network        for an {@code awsvpc} task, where its network interface goes; each task
 *                       placed takes a private address of one of these subnets (on a cluster's own
 *                       instance, of one in the instance's zone). Required when the task needs an ENI
 */
public record PlacementJob(EcsScope scope, String cluster, PlacementRequest placement, List<String> namedInstances,
                           TaskReservation reservation, TaskMaker taskMaker, Optional<String> idempotencyKey,
                           Finisher finisher, String placementCluster, Optional<TaskNetwork> network) {

    public PlacementJob {
        namedInstances = List.copyOf(namedInstances);
    }

    /** How many tasks the job asks for: one per named instance (StartTask), else the request's count. */
    public int tasksAsked() {
        return namedInstances.isEmpty() ? placement.count() : namedInstances.size();
    }

    /** Makes the record of one task placed on an instance; {@code index} is its place among the job's tasks. */
    @FunctionalInterface
    public interface TaskMaker {
        Task make(ContainerInstance instance, int index);
    }

    /** Adds the job's own records (tags, idempotency token) to the batch that commits its tasks. */
    @FunctionalInterface
    public interface Finisher {
        void finish(List<Task> tasks, List<Failure> failures, Writes writes);
    }

    /** Where a finisher puts its records. */
    public interface Writes {
        void put(String key, Object record);
    }
}
