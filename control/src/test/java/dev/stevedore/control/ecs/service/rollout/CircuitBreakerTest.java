package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.control.ecs.feed.TaskSummary;
import dev.stevedore.control.ecs.service.CircuitBreakerThreshold;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the circuit breaker counts, and its threshold. */
class CircuitBreakerTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Duration HEALTHY_AFTER = Duration.ofSeconds(40);
    private static int n;

    /** A task that started {@code startedAgo} ago (null: never ran) and stopped {@code stoppedAgo} ago with a code. */
    static ServiceTask stopped(Integer startedAgo, int stoppedAgo, String code, String reason) {
        String arn = "arn:aws:ecs:us-east-1:123456789012:task/c/%032x".formatted(++n);
        return new ServiceTask(new TaskSummary(arn, null, null, "service:web", "ecs-svc/1", "STOPPED", "STOPPED", null,
                "us-east-1a", "EC2", code, reason, NOW.minusSeconds(600),
                startedAgo == null ? null : NOW.minusSeconds(startedAgo), null, NOW.minusSeconds(stoppedAgo), 3L),
                false, false, false);
    }

    static ServiceTask running(int startedAgo) {
        String arn = "arn:aws:ecs:us-east-1:123456789012:task/c/%032x".formatted(++n);
        return new ServiceTask(new TaskSummary(arn, null, null, "service:web", "ecs-svc/1", "RUNNING", "RUNNING", null,
                "us-east-1a", "EC2", null, null, NOW.minusSeconds(600), NOW.minusSeconds(startedAgo), null, null, 2L),
                false, false, false);
    }

    @Test
    void countsTasksThatFailToStartAndTasksThatDieAfterStartingButNotScaleInsOrLostHosts() {
        List<ServiceTask> tasks = List.of(
                stopped(null, 50, "TaskFailedToStart", "CannotPullContainerError"),
                stopped(55, 52, "EssentialContainerExited", "Essential container in task exited"),
                stopped(30, 20, "ServiceSchedulerInitiated", "Task failed container health checks"),
                stopped(300, 10, "ServiceSchedulerInitiated", "Scaling activity initiated by (deployment ecs-svc/1)"),
                stopped(300, 10, "TerminationNotice", "Host EC2 (instance i-1) lost"),
                stopped(300, 10, "UserInitiated", "Task stopped by user"));
        assertThat(CircuitBreaker.failures(tasks, NOW, HEALTHY_AFTER)).isEqualTo(3);
    }

    @Test
    void aTaskTurningHealthyStartsTheCountAgain() {
        List<ServiceTask> tasks = List.of(
                stopped(200, 190, "EssentialContainerExited", "Essential container in task exited"),
                running(100),  // healthy since 60 s ago
                stopped(30, 20, "EssentialContainerExited", "Essential container in task exited"));
        assertThat(CircuitBreaker.failures(tasks, NOW, HEALTHY_AFTER)).isEqualTo(1);
    }

    @Test
    void thresholdIsHalfTheDesiredCountBetweenThreeAndTwoHundred() {
        assertThat(CircuitBreakerThreshold.of(1)).isEqualTo(3);
        assertThat(CircuitBreakerThreshold.of(25)).isEqualTo(13);
        assertThat(CircuitBreakerThreshold.of(400)).isEqualTo(200);
        assertThat(CircuitBreakerThreshold.of(800)).isEqualTo(200);
    }
}
