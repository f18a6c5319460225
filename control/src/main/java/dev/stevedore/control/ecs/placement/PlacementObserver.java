package dev.stevedore.control.ecs.placement;

/**
 * What the {@link PlanApplier} tells about its work, for metrics. Called on the applier's thread or
 * the store's completion thread; must not block. Answers are told once, when the caller is answered
 * (so a batch placed again after a lost compare-and-set is not counted twice).
 */
public interface PlacementObserver {

    /** Observes nothing. */
    PlacementObserver NONE = new PlacementObserver() {
    };

    /** A job left the queue to be placed, {@code waitedNanos} after it was submitted. */
    default void jobTaken(long waitedNanos) {
    }

    /** A batch of {@code jobs} jobs asking for {@code tasks} tasks was placed and handed to the store. */
    default void batchPlaced(int jobs, int tasks) {
    }

    /** A job's tasks are durable: {@code placed} tasks were made. */
    default void tasksPlaced(int placed) {
    }

    /** One task of a job could not be placed, for ECS's failure {@code reason} ({@code RESOURCE:MEMORY}, ...). */
    default void taskNotPlaced(String reason) {
    }

    /** A job was refused as a whole with the error {@code code} (an AWS error code, or {@code InternalError}). */
    default void jobRefused(String code) {
    }
}
