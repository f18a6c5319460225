package dev.stevedore.control.ecs.placement;

import dev.stevedore.model.ecs.Failure;
import dev.stevedore.model.ecs.Task;

import java.util.List;

/**
 * What the plan applier answers a job with, once its tasks are durably committed.
 */
public sealed interface PlacementOutcome {

    /** The tasks made (in placement order) and the ones that could not be placed. */
    record Placed(List<Task> tasks, List<Failure> failures) implements PlacementOutcome {
        public Placed {
            tasks = List.copyOf(tasks);
            failures = List.copyOf(failures);
        }
    }

    /** The job's idempotency key already exists: an earlier identical call did the work. */
    record AlreadyDone() implements PlacementOutcome {
    }
}
