package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.control.ecs.feed.TaskSummary;
import dev.stevedore.model.ecs.Deployment;
import dev.stevedore.model.ecs.DeploymentCircuitBreaker;
import dev.stevedore.model.ecs.DeploymentConfiguration;
import dev.stevedore.model.ecs.DeploymentController;
import dev.stevedore.model.ecs.Service;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replica scheduler's step as a pure function: the examples of ECS's documentation for
 * minimumHealthyPercent and maximumPercent, scale-in order, protection, unhealthy tasks, draining
 * instances and the start throttle.
 */
class ReplicaPlanTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final RolloutSettings SETTINGS = new RolloutSettings(Duration.ofSeconds(40), Duration.ofSeconds(15));
    static final String OLD = "ecs-svc/1000000000000000001";
    static final String NEW = "ecs-svc/1000000000000000002";
    private static int taskNumber;

    static Service service(int desired, int min, int max, String... deployments) {
        List<Deployment> ds = new ArrayList<>();
        for (int i = 0; i < deployments.length; i++) {
            ds.add(Deployment.builder().id(deployments[i]).status(i == 0 ? "PRIMARY" : "ACTIVE")
                    .rolloutState(i == 0 ? "IN_PROGRESS" : "COMPLETED").desiredCount(desired)
                    .runningCount(0).pendingCount(0).failedTasks(0).createdAt(NOW.minusSeconds(60 - i)).build());
        }
        return Service.builder().serviceName("web").status("ACTIVE").desiredCount(desired).schedulingStrategy("REPLICA")
                .deploymentController(new DeploymentController("ECS"))
                .deploymentConfiguration(DeploymentConfiguration.builder().minimumHealthyPercent(min).maximumPercent(max)
                        .deploymentCircuitBreaker(new DeploymentCircuitBreaker(false, false)).build())
                .healthCheckGracePeriodSeconds(0).deployments(ds).build();
    }

    /** A task of a deployment, in a zone, on an instance; RUNNING since {@code runningFor} ago (null: PENDING). */
    static ServiceTask task(String deployment, String zone, String instance, Duration runningFor) {
        return task(deployment, zone, instance, runningFor, null, false, false);
    }

    static ServiceTask task(String deployment, String zone, String instance, Duration runningFor, String health,
                            boolean draining, boolean protectedTask) {
        String arn = "arn:aws:ecs:us-east-1:123456789012:task/c/%032x".formatted(++taskNumber);
        TaskSummary s = new TaskSummary(arn, "arn:aws:ecs:us-east-1:123456789012:container-instance/c/" + instance,
                "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1", "service:web", deployment,
                runningFor == null ? "PENDING" : "RUNNING", "RUNNING", health, zone, "EC2", null, null,
                NOW.minusSeconds(3600), runningFor == null ? null : NOW.minus(runningFor), null, null, 1L);
        return new ServiceTask(s, draining, protectedTask, health != null);
    }

    static List<ServiceTask> healthy(String deployment, int n) {
        List<ServiceTask> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(task(deployment, "us-east-1" + "abc".charAt(i % 3), "i" + i, Duration.ofMinutes(5)));
        }
        return out;
    }

    static Decision decide(Service s, List<ServiceTask> tasks) {
        return ReplicaPlan.decide(s, tasks, s.desiredCount(), NOW, SETTINGS);
    }

    @Test
    void maximumOf200StartsAllTheNewTasksFirstAndMinimumOf100StopsNoneYet() {
        Decision d = decide(service(4, 100, 200, NEW, OLD), healthy(OLD, 4));
        assertThat(d.starts()).containsEntry(NEW, 4);
        assertThat(d.stops()).isEmpty();
    }

    @Test
    void minimumOf50LetsTwoOfFourGoBeforeAnyNewOneStartsUnderAMaximumOf100() {
        // ECS's example: desired 4, minimum 50% → two old tasks may stop before two new ones start.
        Decision d = decide(service(4, 50, 100, NEW, OLD), healthy(OLD, 4));
        assertThat(d.stops()).hasSize(2);
        assertThat(d.starts()).containsEntry(NEW, 2);
    }

    @Test
    void minimumOf75WithTwoTasksStopsNothingAndSaysWhyWhenNothingElseCanMove() {
        // ECS's example: desired 2, minimum 75% → ceil(1.5) = 2 must stay; with a maximum of 100 nothing can start.
        Decision d = decide(service(2, 75, 100, NEW, OLD), healthy(OLD, 2));
        assertThat(d.idle()).isTrue();
        assertThat(d.events()).containsExactly("(service web) was unable to stop or start tasks during a deployment "
                + "because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent "
                + "value and try again.");
    }

    @Test
    void maximumOf125WithThreeTasksRoundsDownAndStartsNone() {
        // ECS's example: desired 3, maximum 125% → floor(3.75) = 3, no room to start before stopping.
        Decision d = decide(service(3, 100, 125, NEW, OLD), healthy(OLD, 3));
        assertThat(d.starts()).isEmpty();
    }

    @Test
    void oldTasksGoOnceTheNewOnesAreHealthy() {
        List<ServiceTask> tasks = new ArrayList<>(healthy(OLD, 2));
        tasks.add(task(NEW, "us-east-1a", "i5", Duration.ofMinutes(1)));
        tasks.add(task(NEW, "us-east-1b", "i6", Duration.ofSeconds(10)));  // not healthy yet: 40 s
        Decision d = decide(service(2, 100, 200, NEW, OLD), tasks);
        assertThat(d.stops()).hasSize(1);
        assertThat(d.stops().getFirst().task().deploymentId()).isEqualTo(OLD);
        assertThat(d.stops().getFirst().reason()).isEqualTo("Scaling activity initiated by (deployment " + OLD + ")");
        assertThat(d.recheckAt()).contains(NOW.plusSeconds(30));  // when the second new task turns healthy
    }

    @Test
    void scaleInKeepsTheZonesBalancedAndStopsPendingTasksFirst() {
        List<ServiceTask> tasks = new ArrayList<>();
        tasks.add(task(NEW, "us-east-1a", "i1", Duration.ofMinutes(5)));
        tasks.add(task(NEW, "us-east-1a", "i2", Duration.ofMinutes(5)));
        tasks.add(task(NEW, "us-east-1b", "i3", Duration.ofMinutes(5)));
        ServiceTask pending = task(NEW, "us-east-1c", "i4", null);
        tasks.add(pending);
        Decision d = decide(service(2, 100, 200, NEW), tasks);
        assertThat(d.stops()).hasSize(2);
        assertThat(d.stops().getFirst().task()).isEqualTo(pending);
        assertThat(d.stops().get(1).task().availabilityZone()).isEqualTo("us-east-1a");
    }

    @Test
    void protectedTasksAreNeitherScaledInNorReplaced() {
        List<ServiceTask> tasks = new ArrayList<>();
        tasks.add(task(NEW, "us-east-1a", "i1", Duration.ofMinutes(5), null, false, true));
        tasks.add(task(NEW, "us-east-1b", "i2", Duration.ofMinutes(5), null, false, true));
        Decision d = decide(service(1, 100, 200, NEW), tasks);
        assertThat(d.stops()).isEmpty();
        assertThat(d.events()).containsExactly("(service web) was unable to reach steady state because (taskSet " + NEW
                + ") was unable to scale in due to (reason 1 tasks under protection)");
    }

    @Test
    void anUnhealthyTaskIsStoppedAndReplacedAtOnce() {
        List<ServiceTask> tasks = new ArrayList<>(healthy(NEW, 1));
        ServiceTask sick = task(NEW, "us-east-1b", "i9", Duration.ofMinutes(5), "UNHEALTHY", false, false);
        tasks.add(sick);
        Decision d = decide(service(2, 100, 200, NEW), tasks);
        assertThat(d.stops()).extracting(Decision.Stop::task).containsExactly(sick);
        assertThat(d.stops().getFirst().unhealthy()).isTrue();
        assertThat(d.stops().getFirst().reason()).isEqualTo("Task failed container health checks");
        assertThat(d.starts()).containsEntry(NEW, 1);
    }

    @Test
    void aTaskOnADrainingInstanceIsReplacedBeforeItGoesWhenTheMinimumAsksForIt() {
        List<ServiceTask> tasks = new ArrayList<>(healthy(NEW, 1));
        tasks.add(task(NEW, "us-east-1b", "i7", Duration.ofMinutes(5), null, true, false));
        Decision d = decide(service(2, 100, 200, NEW), tasks);
        assertThat(d.stops()).isEmpty();
        assertThat(d.starts()).containsEntry(NEW, 1);
    }

    @Test
    void startsWaitWhileTheThrottleHoldsThem() {
        List<ServiceTask> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String arn = "arn:aws:ecs:us-east-1:123456789012:task/c/%032x".formatted(++taskNumber);
            TaskSummary failed = new TaskSummary(arn, null, null, "service:web", NEW, "STOPPED", "STOPPED", null,
                    "us-east-1a", "EC2", "TaskFailedToStart", "CannotPullContainerError", NOW.minusSeconds(30 - i), null,
                    null, NOW.minusSeconds(5), 2L);
            tasks.add(new ServiceTask(failed, false, false, false));
        }
        Decision d = decide(service(1, 100, 200, NEW), tasks);
        assertThat(d.starts()).isEmpty();
        assertThat(d.recheckAt()).contains(NOW.minusSeconds(5).plus(StartThrottle.delayAfter(3)));
        assertThat(d.events()).containsExactly("(service web) is unable to consistently start tasks successfully.");
    }

    @Test
    void theThrottleCurveDoublesUpToFifteenMinutes() {
        assertThat(StartThrottle.delayAfter(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(StartThrottle.delayAfter(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(StartThrottle.delayAfter(8)).isEqualTo(Duration.ofSeconds(640));
        assertThat(StartThrottle.delayAfter(9)).isEqualTo(Duration.ofMinutes(15));
        assertThat(StartThrottle.delayAfter(50)).isEqualTo(Duration.ofMinutes(15));
    }
}
