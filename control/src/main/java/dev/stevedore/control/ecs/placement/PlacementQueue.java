package dev.stevedore.control.ecs.placement;

import java.util.concurrent.CompletableFuture;

/**
 * Where an API call hands its placement: the {@link PlanApplier}, in the one process that writes
 * the store (with replicas, the leader; the others relay RunTask and StartTask to it).
 */
@FunctionalInterface
public interface PlacementQueue {

    /** Places {@code job} once everything committed before the call has reached the applier's view. */
    CompletableFuture<PlacementOutcome> submitAfterCatchingUp(PlacementJob job);
}
