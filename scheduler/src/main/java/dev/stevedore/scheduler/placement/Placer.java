package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.NoContainerInstancesException;
import dev.stevedore.scheduler.Placement;
import dev.stevedore.scheduler.PlacementFailure;
import dev.stevedore.scheduler.PlacementPlan;
import dev.stevedore.scheduler.PlacementRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Places a request's tasks one after another on an indexed snapshot: filter, rank, choose, and
 * count the chosen instance's new task before the next one is placed.
 */
public final class Placer {

    private Placer() {
    }

    /**
     * The plan for {@code request} on {@code index}; see {@code Scheduler.place}.
     *
     * @throws NoContainerInstancesException when the launch type has no instance at all
     */
    public static PlacementPlan place(ClusterIndex index, PlacementRequest request) {
        int[] pool = index.pool(request.launchType());
        if (pool.length == 0) {
            throw new NoContainerInstancesException();
        }
        long seed = Seeds.hash(request.requestId());
        Working working = new Working(index, request);
        Candidates candidates = Candidates.evaluate(FilterChain.build(index, request), working, pool);
        Scorer[] scorers = new Scorer[request.strategies().size()];
        for (int s = 0; s < scorers.length; s++) {
            scorers[s] = Scorer.of(request.strategies().get(s), s, working, request.launchType(), seed);
        }
        Ranking ranking = new Ranking(index, scorers, seed);

        List<Placement> placements = new ArrayList<>(request.count());
        List<PlacementFailure> failures = new ArrayList<>();
        for (int task = 0; task < request.count(); task++) {
            if (candidates.size() == 0) {
                // Nothing changes once a task finds no instance, so every later task fails alike.
                PlacementFailure failure = candidates.failure(task);
                for (int rest = task; rest < request.count(); rest++) {
                    failures.add(new PlacementFailure(rest, failure.arn(), failure.reason(), failure.detail()));
                }
                break;
            }
            int chosen = ranking.best(candidates, task);
            working.place(chosen);
            for (Scorer scorer : scorers) {
                scorer.placed(chosen);
            }
            candidates.reevaluate(chosen);
            placements.add(new Placement(index.arns[chosen], task));
        }
        return new PlacementPlan(placements, failures);
    }
}
