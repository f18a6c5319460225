package dev.stevedore.scheduler;

import java.util.List;

/**
 * The scheduler's proposal for a request: where each placeable task goes and why the others could
 * not go anywhere. Every task index of the request appears exactly once, in one list or the other,
 * and each list is in task order. A proposal only: the plan applier re-checks it against the
 * latest state before committing.
 */
public record PlacementPlan(List<Placement> placements, List<PlacementFailure> failures) {

    public PlacementPlan {
        placements = List.copyOf(placements);
        failures = List.copyOf(failures);
    }

    /** Whether every task was placed. */
    public boolean complete() {
        return failures.isEmpty();
    }
}
