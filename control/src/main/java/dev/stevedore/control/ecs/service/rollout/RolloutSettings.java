package dev.stevedore.control.ecs.service.rollout;

import java.time.Duration;

/**
 * The service scheduler's timings.
 *
 * @param healthyAfterRunning how long a task without a health check must have been RUNNING to count
 *                            towards minimumHealthyPercent (ECS: 40 seconds)
 * @param placementRetry      how soon a task that could not be placed is tried again when nothing in
 *                            the cluster changes meanwhile
 */
public record RolloutSettings(Duration healthyAfterRunning, Duration placementRetry) {

    public static RolloutSettings defaults() {
        return new RolloutSettings(Duration.ofSeconds(40), Duration.ofSeconds(15));
    }
}
