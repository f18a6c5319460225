package dev.stevedore.scheduler;

import dev.stevedore.scheduler.placement.Recheck;
import java.util.List;

/**
 * Task placement as a pure function: the same snapshot and request always give the same plan,
 * and nothing is read or written besides the arguments.
 *
 * <p>For each of the request's tasks, in order:
 * <ol>
 *   <li>filter the instances of the launch type: ACTIVE, agent connected, required attributes,
 *       zone (an {@code awsvpc} task's subnets'), CPU, memory, TCP ports, UDP ports, ENI, then
 *       each {@code memberOf} and
 *       {@code distinctInstance};</li>
 *   <li>rank the survivors by the strategies in order (the first ranks, later ones break ties),
 *       then by a hash seeded from the request id;</li>
 *   <li>take the best and count the task on it (resources, ports, ENI, task group, running
 *       tasks), so the next task sees this one.</li>
 * </ol>
 * A task that finds no instance becomes a {@link PlacementFailure} carrying the reason of the
 * instance that came closest (the one that passed the most filters), as ECS reports it.
 *
 * <p>For many requests in a row, {@link #placeAll} plans a batch against one snapshot and a
 * {@link PlacementSession} keeps a cluster laid out across batches, told of releases and instance
 * changes; both give the plans {@link #place} would give on the equivalent snapshot.
 */
public final class Scheduler {

    private Scheduler() {
    }

    /**
     * Plans where the request's tasks go.
     *
     * @throws NoContainerInstancesException if the snapshot has no instance of the request's
     *     launch type (ECS then fails the whole call with {@code InvalidParameterException})
     */
    public static PlacementPlan place(ClusterSnapshot snapshot, PlacementRequest request) {
        return snapshot.place(request);
    }

    /**
     * Plans requests in order against one snapshot, each seeing the tasks the earlier ones
     * placed: plan k is what {@link #place} gives for request k on the snapshot with plans 0 to
     * k-1 applied ({@link InstanceState#withTask}). The snapshot is not changed.
     *
     * @throws NoContainerInstancesException if a request's launch type has no instance (no plan
     *     is returned)
     */
    public static List<PlacementPlan> placeAll(ClusterSnapshot snapshot, List<PlacementRequest> requests) {
        return snapshot.placeAll(List.copyOf(requests));
    }

    /**
     * Re-checks one task against one instance as it is now: ACTIVE, agent connected, zone, CPU,
     * memory, ports and ENI, with the same reasons as {@link #place}. Constraints and strategies are not
     * re-evaluated.
     */
    public static FitCheck fits(InstanceState instance, TaskRequirements task) {
        return Recheck.fits(instance, task);
    }

    /**
     * Re-checks a whole plan against a fresher snapshot, as {@link #fits} does per placement, with
     * placements on the same instance counted against each other. Placements on instances gone
     * from the snapshot are rejected with reason {@code MISSING}.
     */
    public static PlanCheck recheck(ClusterSnapshot fresh, PlacementRequest request, PlacementPlan plan) {
        return Recheck.recheck(fresh, request, plan);
    }
}
