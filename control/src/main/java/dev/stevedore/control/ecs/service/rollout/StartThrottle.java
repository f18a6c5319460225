package dev.stevedore.control.ecs.service.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * ECS's service throttle: when a deployment's tasks keep stopping before they ever ran, the time
 * before the next start attempt grows, up to 15 minutes. Read off the tasks themselves (stopped
 * tasks stay listed for an hour), so it survives a restart and resets on its own once a task runs
 * or a new deployment starts.
 *
 * <p>The curve: after the n-th failure in a row the next start waits 5 s × 2^(n-1), at most 15
 * minutes — 5 s, 10 s, 20 s, 40 s, 80 s, 160 s, 320 s, 640 s, then 900 s.
 */
public final class StartThrottle {
    static final Duration FIRST = Duration.ofSeconds(5);
    static final Duration MAX = Duration.ofMinutes(15);
    /** From this many failures in a row on, ECS reports that the service cannot start tasks consistently. */
    static final int REPORTED_AFTER = 3;

    private StartThrottle() {
    }

    /** Failures in a row, and when the next start may happen. */
    public record State(int failuresInARow, Optional<Instant> nextStartAt) {
        public boolean throttled(Instant now) {
            return nextStartAt.isPresent() && now.isBefore(nextStartAt.get());
        }

        public boolean reported() {
            return failuresInARow >= REPORTED_AFTER;
        }
    }

    public static Duration delayAfter(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        long seconds = FIRST.getSeconds() << Math.min(failures - 1, 20);
        return seconds >= MAX.getSeconds() ? MAX : Duration.ofSeconds(seconds);
    }

    /** The throttle of one deployment from its tasks, newest first by creation. */
    public static State of(List<ServiceTask> deploymentTasks) {
        List<ServiceTask> newestFirst = deploymentTasks.stream()
                .sorted(Comparator.comparing((ServiceTask t) -> t.summary().createdAt(),
                        Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
                .toList();
        int failures = 0;
        Instant lastFailure = null;
        for (ServiceTask t : newestFirst) {
            if (!t.summary().isStopped()) {
                continue;  // still starting or running: says nothing yet
            }
            if (!failedToStart(t)) {
                break;
            }
            failures++;
            if (lastFailure == null) {
                lastFailure = t.summary().stoppedAt();
            }
        }
        if (failures == 0 || lastFailure == null) {
            return new State(failures, Optional.empty());
        }
        return new State(failures, Optional.of(lastFailure.plus(delayAfter(failures))));
    }

    /** Stopped without ever running, for a reason of its own (not stopped by a user or the scheduler). */
    static boolean failedToStart(ServiceTask t) {
        return t.summary().startedAt() == null && "TaskFailedToStart".equals(t.summary().stopCode());
    }
}
