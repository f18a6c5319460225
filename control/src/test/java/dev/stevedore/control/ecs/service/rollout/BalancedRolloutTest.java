package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.model.ecs.Service;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.stevedore.control.ecs.service.rollout.ReplicaPlanTest.NEW;
import static dev.stevedore.control.ecs.service.rollout.ReplicaPlanTest.NOW;
import static dev.stevedore.control.ecs.service.rollout.ReplicaPlanTest.OLD;
import static dev.stevedore.control.ecs.service.rollout.ReplicaPlanTest.SETTINGS;
import static dev.stevedore.control.ecs.service.rollout.ReplicaPlanTest.decide;
import static dev.stevedore.control.ecs.service.rollout.ReplicaPlanTest.service;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pure decisions for tasks behind load balancers: a task counts as healthy when its target groups
 * say so (not after a wait), one they find unhealthy is replaced with ECS's reason once the grace
 * period is over, and a deployment completes only once its targets are healthy.
 */
class BalancedRolloutTest {
    static final String GROUP = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/73e2d6bc24d8a067";

    static ServiceTask balanced(String deployment, Duration runningFor, TargetsHealth health) {
        ServiceTask t = ReplicaPlanTest.task(deployment, "us-east-1a", "i1", runningFor);
        return new ServiceTask(t.summary(), false, false, false, health);
    }

    static TargetsHealth unhealthy() {
        return TargetsHealth.unhealthy(new TargetsHealth.Failure(GROUP, "web-tg", Optional.empty(), 80,
                "Health checks failed with these codes: [502]"));
    }

    @Test
    void aBalancedTaskIsHealthyWhenItsTargetsAreNotAfterAWait() {
        Duration after = SETTINGS.healthyAfterRunning();
        assertThat(balanced(NEW, Duration.ofMinutes(5), TargetsHealth.WAITING).healthy(NOW, after)).isFalse();
        assertThat(balanced(NEW, Duration.ofSeconds(1), TargetsHealth.HEALTHY).healthy(NOW, after)).isTrue();
        assertThat(balanced(NEW, Duration.ofSeconds(1), TargetsHealth.HEALTHY).healthyAt(after)).isEmpty();
    }

    @Test
    void newTasksWaitingForTheirTargetsDoNotLetOldOnesGoUnderTheMinimum() {
        Service s = service(2, 100, 200, NEW, OLD);
        List<ServiceTask> tasks = new ArrayList<>();
        tasks.add(balanced(OLD, Duration.ofMinutes(5), TargetsHealth.HEALTHY));
        tasks.add(balanced(OLD, Duration.ofMinutes(5), TargetsHealth.HEALTHY));
        tasks.add(balanced(NEW, Duration.ofMinutes(5), TargetsHealth.WAITING));
        tasks.add(balanced(NEW, Duration.ofMinutes(5), TargetsHealth.WAITING));
        assertThat(decide(s, tasks).stops()).isEmpty();

        tasks.set(2, balanced(NEW, Duration.ofMinutes(5), TargetsHealth.HEALTHY));
        tasks.set(3, balanced(NEW, Duration.ofMinutes(5), TargetsHealth.HEALTHY));
        Decision d = decide(s, tasks);
        assertThat(d.stops()).hasSize(2).allMatch(stop -> stop.task().deploymentId().equals(OLD));
    }

    @Test
    void aTaskItsTargetGroupFindsUnhealthyIsReplacedOnceTheGracePeriodIsOver() {
        Service graced = service(1, 100, 200, NEW).toBuilder().healthCheckGracePeriodSeconds(60).build();
        ServiceTask young = balanced(NEW, Duration.ofSeconds(10), unhealthy());
        Decision waiting = decide(graced, List.of(young));
        assertThat(waiting.stops()).isEmpty();
        assertThat(waiting.recheckAt()).contains(young.summary().startedAt().plusSeconds(60));

        Decision d = decide(graced, List.of(balanced(NEW, Duration.ofMinutes(2), unhealthy())));
        assertThat(d.stops()).singleElement().satisfies(stop -> {
            assertThat(stop.reason()).isEqualTo("Task failed ELB health checks in (target-group " + GROUP + ")");
            assertThat(stop.unhealthy()).isTrue();
        });
        assertThat(d.events()).singleElement().asString().endsWith(
                "(port 80) is unhealthy in (target-group web-tg) due to (reason Health checks failed with these "
                        + "codes: [502]).");
    }

    @Test
    void aDeploymentCompletesOnlyOnceItsTargetsAreHealthy() {
        Service s = service(1, 100, 200, NEW);
        Progress.Result waiting = Progress.apply(s, List.of(balanced(NEW, Duration.ofMinutes(5), TargetsHealth.WAITING)),
                1, NOW, SETTINGS, Optional::empty);
        assertThat(waiting.service().deployments().getFirst().rolloutState()).isEqualTo("IN_PROGRESS");

        Progress.Result done = Progress.apply(s, List.of(balanced(NEW, Duration.ofMinutes(5), TargetsHealth.HEALTHY)),
                1, NOW, SETTINGS, Optional::empty);
        assertThat(done.service().deployments().getFirst().rolloutState()).isEqualTo("COMPLETED");
    }

    @Test
    void aTaskStoppedForFailingElbChecksCountsForTheCircuitBreaker() {
        ServiceTask t = ReplicaPlanTest.task(NEW, "us-east-1a", "i1", Duration.ofMinutes(1));
        var stopped = new dev.stevedore.control.ecs.feed.TaskSummary(t.taskArn(), null, null, "service:web", NEW,
                "STOPPED", "STOPPED", null, null, "EC2", "ServiceSchedulerInitiated",
                "Task failed ELB health checks in (target-group " + GROUP + ")", NOW.minusSeconds(60),
                NOW.minusSeconds(50), NOW.minusSeconds(5), NOW.minusSeconds(1), 3L);
        assertThat(CircuitBreaker.failed(new ServiceTask(stopped, false, false, false))).isTrue();
    }
}
