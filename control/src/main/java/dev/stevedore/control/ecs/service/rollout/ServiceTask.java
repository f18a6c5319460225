package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.control.ecs.feed.TaskSummary;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A task of a service as the scheduler weighs it: the task's summary, and what the cluster says
 * about it (its instance draining, scale-in protection).
 *
 * @param healthChecked whether its task definition has an essential container with a health check
 */
public record ServiceTask(TaskSummary summary, boolean onDrainingInstance, boolean protectedFromScaleIn,
                          boolean healthChecked) {

    public String deploymentId() {
        return summary.startedBy() == null ? "" : summary.startedBy();
    }

    public String taskArn() {
        return summary.taskArn();
    }

    public String id() {
        return summary.id();
    }

    /** Wanted and not yet stopped: it counts against maximumPercent. */
    public boolean active() {
        return summary.wanted() && !summary.isStopped();
    }

    public boolean running() {
        return active() && summary.isRunning();
    }

    public boolean pending() {
        return active() && !summary.isRunning();
    }

    /**
     * Counts towards minimumHealthyPercent: RUNNING and HEALTHY when its definition has a health
     * check; without one, RUNNING for {@code healthyAfter} (ECS waits 40 seconds).
     */
    public boolean healthy(Instant now, Duration healthyAfter) {
        if (!running()) {
            return false;
        }
        if (healthChecked) {
            return "HEALTHY".equals(summary.healthStatus());
        }
        return summary.startedAt() != null && !now.isBefore(summary.startedAt().plus(healthyAfter));
    }

    /** When a running task without a health check will count as healthy; empty if it never will or already does. */
    public Optional<Instant> healthyAt(Duration healthyAfter) {
        if (!running() || healthChecked || summary.startedAt() == null) {
            return Optional.empty();
        }
        return Optional.of(summary.startedAt().plus(healthyAfter));
    }

    /** UNHEALTHY by its container health checks once the grace period after it started has passed. */
    public boolean unhealthy(Instant now, Duration grace) {
        return running() && "UNHEALTHY".equals(summary.healthStatus())
                && (summary.startedAt() == null || !now.isBefore(summary.startedAt().plus(grace)));
    }

    public String availabilityZone() {
        return summary.availabilityZone() == null ? "" : summary.availabilityZone();
    }

    public String instanceArn() {
        return summary.containerInstanceArn() == null ? "" : summary.containerInstanceArn();
    }
}
