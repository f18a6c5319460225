package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.control.ecs.feed.TaskSummary;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A task of a service as the scheduler weighs it: the task's summary, and what the cluster says
 * about it (its instance draining, scale-in protection, its load balancers' health checks).
 *
 * @param healthChecked whether its task definition has an essential container with a health check
 * @param targets       what its load balancers' target groups say of it
 */
public record ServiceTask(TaskSummary summary, boolean onDrainingInstance, boolean protectedFromScaleIn,
                          boolean healthChecked, TargetsHealth targets) {

    /** A task of a deployment without load balancers. */
    public ServiceTask(TaskSummary summary, boolean onDrainingInstance, boolean protectedFromScaleIn,
                       boolean healthChecked) {
        this(summary, onDrainingInstance, protectedFromScaleIn, healthChecked, TargetsHealth.NOT_BALANCED);
    }

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
     * check; without one, RUNNING for {@code healthyAfter} (ECS waits 40 seconds). A task behind load
     * balancers counts once every target group reports it healthy (and its containers, if checked,
     * are HEALTHY): the load balancer's verdict takes the place of the wait.
     */
    public boolean healthy(Instant now, Duration healthyAfter) {
        if (!running()) {
            return false;
        }
        if (healthChecked && !"HEALTHY".equals(summary.healthStatus())) {
            return false;
        }
        if (targets.balanced()) {
            return targets.state() == TargetsHealth.State.HEALTHY;
        }
        return healthChecked
                || (summary.startedAt() != null && !now.isBefore(summary.startedAt().plus(healthyAfter)));
    }

    /** When a running task without a health check will count as healthy; empty if it never will or already does. */
    public Optional<Instant> healthyAt(Duration healthyAfter) {
        if (!running() || healthChecked || targets.balanced() || summary.startedAt() == null) {
            return Optional.empty();
        }
        return Optional.of(summary.startedAt().plus(healthyAfter));
    }

    /**
     * UNHEALTHY by its container health checks, or reported unhealthy by a target group, once the grace
     * period after it started has passed.
     */
    public boolean unhealthy(Instant now, Duration grace) {
        return failsContainerChecks(now, grace) || failsTargetChecks(now, grace);
    }

    /** UNHEALTHY by its container health checks once the grace period has passed. */
    public boolean failsContainerChecks(Instant now, Duration grace) {
        return running() && "UNHEALTHY".equals(summary.healthStatus()) && graceOver(now, grace);
    }

    /** Reported unhealthy by a target group once the grace period has passed. */
    public boolean failsTargetChecks(Instant now, Duration grace) {
        return running() && targets.state() == TargetsHealth.State.UNHEALTHY && graceOver(now, grace);
    }

    /** When the grace period of a task found unhealthy ends, if it has not yet. */
    public Optional<Instant> unhealthyGraceEnds(Instant now, Duration grace) {
        boolean failing = "UNHEALTHY".equals(summary.healthStatus())
                || targets.state() == TargetsHealth.State.UNHEALTHY;
        if (!running() || !failing || summary.startedAt() == null) {
            return Optional.empty();
        }
        return Optional.of(summary.startedAt().plus(grace)).filter(now::isBefore);
    }

    private boolean graceOver(Instant now, Duration grace) {
        return summary.startedAt() == null || !now.isBefore(summary.startedAt().plus(grace));
    }

    public String availabilityZone() {
        return summary.availabilityZone() == null ? "" : summary.availabilityZone();
    }

    public String instanceArn() {
        return summary.containerInstanceArn() == null ? "" : summary.containerInstanceArn();
    }
}
