package dev.stevedore.scheduler;

import java.util.List;

/**
 * The outcome of re-checking a plan against a fresher snapshot: the placements that still fit
 * (in the plan's order, each counted against the same instance's earlier ones) and the rejected
 * ones, which go back for another round of placement.
 */
public record PlanCheck(List<Placement> accepted, List<PlacementFailure> rejected) {

    public PlanCheck {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
    }

    public boolean allAccepted() {
        return rejected.isEmpty();
    }
}
