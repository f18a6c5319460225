package dev.stevedore.control.ecs.protection;

import java.time.Instant;

/**
 * How a task's scale-in protection is stored: until when it holds. A task without a record is not
 * protected; an expired record counts as not protected and is cleaned up when the task stops.
 */
public final class TaskProtections {
    private TaskProtections() {
    }

    public record Stored(Instant expirationDate) {
    }
}
