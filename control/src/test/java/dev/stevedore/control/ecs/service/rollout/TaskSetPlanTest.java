package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.control.ecs.feed.TaskSummary;
import dev.stevedore.model.ecs.DeploymentController;
import dev.stevedore.model.ecs.Scale;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.TaskSet;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The EXTERNAL controller's step, as a pure function: each task set keeps its computed count,
 * independently of the others.
 */
class TaskSetPlanTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final RolloutSettings SETTINGS = new RolloutSettings(Duration.ofSeconds(40), Duration.ofSeconds(15));
    static final String BLUE = "ecs-svc/9223370479726415095";
    static final String GREEN = "ecs-svc/9223370479726415000";
    private static int taskNumber;

    static Service service(int desired, TaskSet... sets) {
        return Service.builder().serviceName("web").status("ACTIVE").desiredCount(desired)
                .deploymentController(new DeploymentController("EXTERNAL"))
                .taskSets(List.of(sets)).deployments(List.of()).build();
    }

    static TaskSet set(String id, String status, double scale) {
        return TaskSet.builder().id(id).taskSetArn("arn:aws:ecs:us-east-1:123456789012:task-set/c/web/" + id)
                .status(status).scale(new Scale("PERCENT", scale)).computedDesiredCount(0).runningCount(0)
                .pendingCount(0).stabilityStatus("STABILIZING").stabilityStatusAt(NOW.minusSeconds(600)).build();
    }

    /** A task of a set, RUNNING since {@code runningFor} ago, in zone a on instance 1. */
    static ServiceTask running(String set, Duration runningFor) {
        return task(set, "RUNNING", "RUNNING", NOW.minus(runningFor), null, false, false);
    }

    static ServiceTask task(String set, String last, String desired, Instant startedAt, String health,
                            boolean drainingInstance, boolean protectedTask) {
        String arn = "arn:aws:ecs:us-east-1:123456789012:task/c/%032x".formatted(++taskNumber);
        TaskSummary s = new TaskSummary(arn, "arn:aws:ecs:us-east-1:123456789012:container-instance/c/i1",
                "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1", "service:web", set, last, desired,
                health, "us-east-1a", "EC2", null, null, NOW.minusSeconds(3600), startedAt, null, null, 1L);
        return new ServiceTask(s, drainingInstance, protectedTask, health != null);
    }

    static List<String> stopped(Decision d) {
        return d.stops().stream().map(s -> s.task().taskArn()).toList();
    }

    @Test
    void theComputedCountIsTheScaleOfTheDesiredCountRoundedUp() {
        assertThat(TaskSetPlan.computedDesiredCount(4, new Scale("PERCENT", 100.0))).isEqualTo(4);
        assertThat(TaskSetPlan.computedDesiredCount(3, new Scale("PERCENT", 50.0))).isEqualTo(2);
        assertThat(TaskSetPlan.computedDesiredCount(10, new Scale("PERCENT", 30.0))).isEqualTo(3);
        assertThat(TaskSetPlan.computedDesiredCount(1000, new Scale("PERCENT", 0.3))).isEqualTo(3);
        assertThat(TaskSetPlan.computedDesiredCount(3, new Scale("PERCENT", 33.3))).isEqualTo(1);
        assertThat(TaskSetPlan.computedDesiredCount(2, new Scale("PERCENT", 0.1))).isEqualTo(1);
        assertThat(TaskSetPlan.computedDesiredCount(5, new Scale("PERCENT", 0.0))).isZero();
        assertThat(TaskSetPlan.computedDesiredCount(5, null)).isZero();
    }

    @Test
    void eachSetStartsItsOwnCount() {
        Decision d = TaskSetPlan.decide(service(4, set(BLUE, "PRIMARY", 100), set(GREEN, "ACTIVE", 50)),
                List.of(running(BLUE, Duration.ofMinutes(5))), NOW, SETTINGS);
        assertThat(d.starts()).isEqualTo(Map.of(BLUE, 3, GREEN, 2));
        assertThat(d.stops()).isEmpty();
        assertThat(d.events()).isEmpty();
    }

    @Test
    void extrasOfASetAreScaledInButNeverProtectedTasksNorAnotherSetsTasks() {
        ServiceTask young = running(BLUE, Duration.ofSeconds(5));
        ServiceTask old = running(BLUE, Duration.ofMinutes(5));
        ServiceTask guarded = task(BLUE, "RUNNING", "RUNNING", NOW.minusSeconds(5), null, false, true);
        ServiceTask pending = task(BLUE, "PENDING", "RUNNING", null, null, false, false);
        ServiceTask green = running(GREEN, Duration.ofMinutes(5));
        // desired 4 × 25 % = 1 blue task; green at 25 % keeps its one.
        Decision d = TaskSetPlan.decide(service(4, set(BLUE, "PRIMARY", 25), set(GREEN, "ACTIVE", 25)),
                List.of(young, old, guarded, pending, green), NOW, SETTINGS);
        // Pending first, then not yet healthy, as ECS chooses; the protected task stays.
        assertThat(stopped(d)).containsExactly(pending.taskArn(), young.taskArn(), old.taskArn());
        assertThat(d.stops()).allSatisfy(s -> {
            assertThat(s.reason()).isEqualTo("Scaling activity initiated by (deployment " + BLUE + ")");
            assertThat(s.unhealthy()).isFalse();
        });
        assertThat(d.starts()).isEmpty();
    }

    @Test
    void protectedTasksThatBlockScaleInAreReported() {
        List<ServiceTask> tasks = List.of(task(BLUE, "RUNNING", "RUNNING", NOW.minusSeconds(60), null, false, true),
                task(BLUE, "RUNNING", "RUNNING", NOW.minusSeconds(60), null, false, true));
        Decision d = TaskSetPlan.decide(service(2, set(BLUE, "ACTIVE", 0)), tasks, NOW, SETTINGS);
        assertThat(d.idle()).isTrue();
        assertThat(d.events()).containsExactly("(service web) was unable to reach steady state because (taskSet "
                + BLUE + ") was unable to scale in due to (reason 2 tasks under protection)");
    }

    @Test
    void aDrainingSetAndTasksOfNoSetAreStopped() {
        ServiceTask blue = running(BLUE, Duration.ofMinutes(5));
        ServiceTask orphan = running("ecs-svc/1", Duration.ofMinutes(5));
        ServiceTask stopping = task(BLUE, "RUNNING", "STOPPED", NOW.minusSeconds(60), null, false, false);
        Decision d = TaskSetPlan.decide(service(3, set(BLUE, "DRAINING", 100), set(GREEN, "PRIMARY", 0)),
                List.of(blue, orphan, stopping), NOW, SETTINGS);
        assertThat(stopped(d)).containsExactlyInAnyOrder(blue.taskArn(), orphan.taskArn());
        assertThat(d.starts()).isEmpty();
    }

    @Test
    void aServiceBeingDeletedKeepsNoTask() {
        Service deleting = service(3, set(BLUE, "PRIMARY", 100)).toBuilder().status("DRAINING").build();
        ServiceTask blue = running(BLUE, Duration.ofMinutes(5));
        Decision d = TaskSetPlan.decide(deleting, List.of(blue), NOW, SETTINGS);
        assertThat(stopped(d)).containsExactly(blue.taskArn());
        assertThat(d.starts()).isEmpty();
    }

    @Test
    void anUnhealthyTaskIsStoppedAndReplacedInTheSameStep() {
        ServiceTask sick = task(BLUE, "RUNNING", "RUNNING", NOW.minusSeconds(120), "UNHEALTHY", false, false);
        ServiceTask well = task(BLUE, "RUNNING", "RUNNING", NOW.minusSeconds(120), "HEALTHY", false, false);
        Decision d = TaskSetPlan.decide(service(2, set(BLUE, "PRIMARY", 100)), List.of(sick, well), NOW, SETTINGS);
        assertThat(stopped(d)).containsExactly(sick.taskArn());
        assertThat(d.stops().getFirst().unhealthy()).isTrue();
        assertThat(d.stops().getFirst().reason()).isEqualTo("Task failed container health checks");
        assertThat(d.starts()).isEqualTo(Map.of(BLUE, 1));
        assertThat(d.events()).containsExactly("(service web) (task " + sick.id() + ") failed container health checks.");
    }

    @Test
    void aTaskOnADrainingInstanceStopsOnlyOnceItsReplacementIsHealthy() {
        ServiceTask leaving = task(BLUE, "RUNNING", "RUNNING", NOW.minusSeconds(600), null, true, false);
        Service service = service(1, set(BLUE, "PRIMARY", 100));

        Decision first = TaskSetPlan.decide(service, List.of(leaving), NOW, SETTINGS);
        assertThat(first.starts()).isEqualTo(Map.of(BLUE, 1));
        assertThat(first.stops()).isEmpty();

        ServiceTask fresh = running(BLUE, Duration.ofSeconds(10));
        Decision warming = TaskSetPlan.decide(service, List.of(leaving, fresh), NOW, SETTINGS);
        assertThat(warming.idle()).isTrue();
        assertThat(warming.recheckAt()).contains(fresh.summary().startedAt().plus(SETTINGS.healthyAfterRunning()));

        Decision later = TaskSetPlan.decide(service, List.of(leaving, fresh), NOW.plusSeconds(31), SETTINGS);
        assertThat(stopped(later)).containsExactly(leaving.taskArn());
        assertThat(later.starts()).isEmpty();
    }

    @Test
    void aPendingTaskOnADrainingInstanceIsStoppedAtOnce() {
        ServiceTask pending = task(BLUE, "PENDING", "RUNNING", null, null, true, false);
        Decision d = TaskSetPlan.decide(service(1, set(BLUE, "PRIMARY", 100)), List.of(pending), NOW, SETTINGS);
        assertThat(stopped(d)).containsExactly(pending.taskArn());
        assertThat(d.starts()).isEqualTo(Map.of(BLUE, 1));
    }

    @Test
    void tasksThatKeepFailingToStartAreThrottled() {
        List<ServiceTask> failed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TaskSummary s = new TaskSummary("arn:aws:ecs:us-east-1:123456789012:task/c/%032x".formatted(++taskNumber),
                    null, "td", "service:web", BLUE, "STOPPED", "STOPPED", null, null, "EC2", "TaskFailedToStart",
                    "CannotPullContainerError", NOW.minusSeconds(30 - i), null, null, NOW.minusSeconds(20 - i), 2L);
            failed.add(new ServiceTask(s, false, false, false));
        }
        Decision d = TaskSetPlan.decide(service(1, set(BLUE, "PRIMARY", 100)), failed, NOW, SETTINGS);
        assertThat(d.starts()).isEmpty();
        // The third failure in a row (the last at NOW - 18 s) holds the next start for 20 s.
        assertThat(d.recheckAt()).contains(NOW.plusSeconds(2));
        assertThat(d.events()).containsExactly("(service web) is unable to consistently start tasks successfully.");
    }
}
