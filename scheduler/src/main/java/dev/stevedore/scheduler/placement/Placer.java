package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.LaunchType;
import dev.stevedore.scheduler.NoContainerInstancesException;
import dev.stevedore.scheduler.Placement;
import dev.stevedore.scheduler.PlacementConstraint;
import dev.stevedore.scheduler.PlacementFailure;
import dev.stevedore.scheduler.PlacementPlan;
import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.scheduler.TaskRequirements;
import java.util.ArrayList;
import java.util.List;

/**
 * Places a request's tasks one after another on a cluster state: find the best instance, count
 * the task on it, and go on with the next task seeing it there.
 */
public final class Placer {

    private Placer() {
    }

    /**
     * What a failure depends on besides the instances: the filters (task, group, constraints)
     * and the pool. Not the request id, count or strategies, which only rank candidates.
     */
    private record FailureKey(TaskRequirements task, LaunchType launchType, String group,
            List<PlacementConstraint> constraints) {
    }

    /**
     * The plan for {@code request}, with its placements counted on {@code state}; see
     * {@code Scheduler.place}.
     *
     * @throws NoContainerInstancesException when the launch type has no instance at all (the
     *     state is then unchanged)
     */
    public static PlacementPlan place(ClusterState state, PlacementRequest request) {
        if (state.poolSize(request.launchType()) == 0) {
            throw new NoContainerInstancesException();
        }
        long seed = Seeds.hash(request.requestId());
        Working working = new Working(state, request);
        InstanceFilter[] filters = FilterChain.build(state, request);
        Scorer[] scorers = new Scorer[request.strategies().size()];
        for (int s = 0; s < scorers.length; s++) {
            scorers[s] = Scorer.of(request.strategies().get(s), s, working, request.launchType(), seed);
        }
        Search search = new Search(working, filters, scorers, request.strategies(), request.launchType(),
                new Ranking(state, scorers, seed));

        List<Placement> placements = new ArrayList<>(request.count());
        List<PlacementFailure> failures = new ArrayList<>();
        FailureKey failureKey = new FailureKey(request.task(), request.launchType(), request.group(),
                request.constraints());
        for (int task = 0; task < request.count(); task++) {
            PlacementFailure known = state.knownFailure(failureKey);
            int chosen = known != null ? -1 : search.best(task);
            if (chosen < 0) {
                // Nothing changes once a task finds no instance, so every later task fails alike.
                PlacementFailure failure = known != null ? known
                        : FilterChain.failure(filters, working, request.launchType(), task);
                state.rememberFailure(failureKey, failure);
                for (int rest = task; rest < request.count(); rest++) {
                    failures.add(new PlacementFailure(rest, failure.arn(), failure.reason(), failure.detail()));
                }
                break;
            }
            working.place(chosen);
            placements.add(new Placement(state.arns[chosen], task));
        }
        state.served();
        return new PlacementPlan(placements, failures);
    }

    /** Takes a plan made by {@link #place} back off the state, leaving it as it was before. */
    public static void undo(ClusterState state, PlacementRequest request, PlacementPlan plan) {
        int group = state.groups.find(request.group());
        for (int k = plan.placements().size() - 1; k >= 0; k--) {
            int i = state.indexOf(plan.placements().get(k).instanceArn()).orElseThrow();
            state.release(i, request.task(), group);
        }
    }
}
