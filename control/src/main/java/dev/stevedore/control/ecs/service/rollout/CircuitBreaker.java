package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.control.ecs.service.ServiceMessages;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The deployment circuit breaker's count of a deployment's failed tasks: tasks that stopped before
 * they ran, tasks that ran and then died (an essential container exited), and tasks the scheduler
 * stopped for failing their health checks — counted since the deployment last had a task turn
 * healthy. ECS counts only the first and last kind once a task has run, so a task that starts and
 * crashes a few seconds later never trips its breaker; Stevedore counts those too.
 *
 * <p>Read off the tasks (stopped tasks stay listed for an hour), so the count survives a restart
 * and never counts one task twice; failures older than an hour drop out of it.
 */
public final class CircuitBreaker {
    private CircuitBreaker() {
    }

    public static int failures(List<ServiceTask> deploymentTasks, Instant now, Duration healthyAfter) {
        Instant lastHealthy = Instant.MIN;
        for (ServiceTask t : deploymentTasks) {
            Instant healthyFrom = healthyFrom(t, now, healthyAfter);
            if (healthyFrom != null && healthyFrom.isAfter(lastHealthy)) {
                lastHealthy = healthyFrom;
            }
        }
        int failures = 0;
        for (ServiceTask t : deploymentTasks) {
            if (failed(t) && t.summary().stoppedAt() != null && t.summary().stoppedAt().isAfter(lastHealthy)) {
                failures++;
            }
        }
        return failures;
    }

    /** When the task turned healthy, if it did: HEALTHY now (from its start), or alive for {@code healthyAfter}. */
    private static Instant healthyFrom(ServiceTask t, Instant now, Duration healthyAfter) {
        Instant started = t.summary().startedAt();
        if (started == null) {
            return null;
        }
        if (t.healthChecked()) {
            return t.running() && "HEALTHY".equals(t.summary().healthStatus()) ? started : null;
        }
        Instant end = t.summary().stoppedAt() != null ? t.summary().stoppedAt() : now;
        Instant healthy = started.plus(healthyAfter);
        return end.isBefore(healthy) ? null : healthy;
    }

    /** Stopped for a reason that is the deployment's fault, not a user's, a scale-in's or a lost host's. */
    public static boolean failed(ServiceTask t) {
        if (!t.summary().isStopped()) {
            return false;
        }
        String code = t.summary().stopCode();
        return "TaskFailedToStart".equals(code) || "EssentialContainerExited".equals(code)
                || ("ServiceSchedulerInitiated".equals(code)
                    && ServiceMessages.failedHealthChecksReason(t.summary().stoppedReason()));
    }
}
