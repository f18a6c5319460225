package dev.stevedore.agent.engine;

import static dev.stevedore.agent.engine.TestTasks.container;
import static dev.stevedore.agent.engine.TestTasks.dependsOn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.agent.runtime.HealthStatus;
import dev.stevedore.model.agent.TaskAssignment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The lifecycle as a pure function: desired and known state in, next step out. */
class TransitionsTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final Duration CLEANUP = Duration.ofHours(3);
    private static final String ARN = TestTasks.ACCOUNT_PREFIX + "task/c/0123abcd";

    private final TaskAssignment webAndSidecar = TestTasks.task(ARN, "web")
            .container(container("web", "httpd"))
            .container(container("side", "sleep", "60").essential(false))
            .build();

    private static TaskPlan plan(TaskAssignment a) {
        return TaskPlan.of(a, "instance", Duration.ofSeconds(30));
    }

    private static Step next(TaskRecord r, TaskAssignment a) {
        return Transitions.next(r, plan(a), Transitions.Secrets.NOT_HELD, NOW, CLEANUP);
    }

    /** A fresh task whose images are pulled and volumes made. */
    private static TaskRecord ready(TaskAssignment a) {
        return TaskRecord.fresh(a).withPullStarted(NOW).withImagesPulled(NOW).withPrepared(Optional.empty());
    }

    private static UnaryOperator<ContainerRecord> only(String name, UnaryOperator<ContainerRecord> change) {
        return c -> c.name().equals(name) ? change.apply(c) : c;
    }

    private static ContainerRecord running(ContainerRecord c) {
        return c.created("ecs-" + c.name(), "id-" + c.name()).running(HealthStatus.NONE, List.of());
    }

    private static ContainerRecord exited(ContainerRecord c, int code) {
        return running(c).exited(true, OptionalInt.of(code), Optional.empty(), HealthStatus.NONE);
    }

    @Test
    void aNewTaskPullsThenPreparesThenStartsContainersInDefinitionOrder() {
        TaskRecord fresh = TaskRecord.fresh(webAndSidecar);
        assertThat(next(fresh, webAndSidecar)).isEqualTo(new Step.PullImages());
        assertThat(next(fresh.withImagesPulled(NOW), webAndSidecar)).isEqualTo(new Step.Prepare());
        assertThat(next(ready(webAndSidecar), webAndSidecar)).isEqualTo(new Step.StartContainer("web"));
        assertThat(next(ready(webAndSidecar).withContainers(only("web", TransitionsTest::running)), webAndSidecar))
                .isEqualTo(new Step.StartContainer("side"));
    }

    @Test
    void anAwsvpcTasksNamespaceIsUpBeforeItsContainersAndGoesAfterThemBeforeTheTaskStops() {
        TaskAssignment a = TestTasks.task(ARN, "web")
                .awsvpc(TestTasks.eni("subnet-1", "10.0.1.0/24", "10.0.1.17"))
                .container(container("web", "httpd"))
                .build();
        TaskRecord ready = ready(a);
        assertThat(next(ready, a)).isEqualTo(new Step.SetUpNetwork());

        TaskRecord attached = ready.withNetwork(ready.network().orElseThrow().withPause("pause", "id-pause").nowAttached());
        assertThat(next(attached, a)).isEqualTo(new Step.StartContainer("web"));

        TaskRecord stopping = attached.withContainers(TransitionsTest::running).running().stopping(StopCause.essentialExited())
                .withContainers(c -> exited(c, 0));
        assertThat(next(stopping, a)).isEqualTo(new Step.TearDownNetwork());
        TaskRecord detached = stopping.withNetwork(stopping.network().orElseThrow().nowDetached());
        assertThat(next(detached, a)).isEqualTo(new Step.FinishStop());
    }

    @Test
    void aRunningAwsvpcTaskWhoseNamespaceIsLostStops() {
        TaskAssignment a = TestTasks.task(ARN, "web")
                .awsvpc(TestTasks.eni("subnet-1", "10.0.1.0/24", "10.0.1.17"))
                .container(container("web", "httpd"))
                .build();
        TaskRecord r = ready(a).withContainers(TransitionsTest::running).running();
        r = r.withNetwork(r.network().orElseThrow().withPause("pause", "id-pause").nowAttached().nowLost("gone"));

        assertThat(next(r, a)).isEqualTo(new Step.BeginStop(
                new StopCause(StopCode.EssentialContainerExited, "The task's network namespace was lost: gone")));
    }

    @Test
    void theTaskRunsWhenEveryEssentialContainerRuns() {
        TaskRecord r = ready(webAndSidecar).withContainers(TransitionsTest::running);
        assertThat(next(r, webAndSidecar)).isEqualTo(new Step.BecomeRunning());
        assertThat(next(r.running(), webAndSidecar)).isEqualTo(Step.Idle.untilNews());
    }

    @Test
    void anEssentialExitStopsTheTask() {
        TaskRecord r = ready(webAndSidecar).withContainers(TransitionsTest::running).running()
                .withContainers(only("web", c -> exited(c, 3)));
        assertThat(next(r, webAndSidecar)).isEqualTo(new Step.BeginStop(StopCause.essentialExited()));
    }

    @Test
    void aNonEssentialExitLeavesTheTaskRunning() {
        TaskRecord r = ready(webAndSidecar).withContainers(TransitionsTest::running).running()
                .withContainers(only("side", c -> exited(c, 5)));
        assertThat(next(r, webAndSidecar)).isEqualTo(Step.Idle.untilNews());
    }

    @Test
    void anEssentialContainerThatCouldNotStartFailsTheTaskWithItsReason() {
        TaskRecord r = ready(webAndSidecar).withContainers(only("web", c -> c.failed("CannotStartContainerError: boom")));
        assertThat(next(r, webAndSidecar))
                .isEqualTo(new Step.BeginStop(StopCause.failedToStart("CannotStartContainerError: boom")));
    }

    @Test
    void desiredStoppedStopsWithTheControlPlanesReason() {
        TaskAssignment stopped = TestTasks.stopped(webAndSidecar, "Task stopped by user");
        TaskRecord r = ready(webAndSidecar).withContainers(TransitionsTest::running).running().withAssignment(stopped);
        assertThat(next(r, stopped)).isEqualTo(new Step.BeginStop(new StopCause(StopCode.UserInitiated, "Task stopped by user")));
    }

    @Test
    void anUnwantedTaskIsStopped() {
        TaskRecord r = ready(webAndSidecar).withContainers(TransitionsTest::running).running().withUnwanted();
        assertThat(next(r, webAndSidecar))
                .isEqualTo(new Step.BeginStop(new StopCause(StopCode.UserInitiated, Transitions.UNWANTED_REASON)));
    }

    @Test
    void stoppingStopsRunningContainersInReverseDependencyOrderThenFinishes() {
        TaskAssignment a = TestTasks.task(ARN, "web")
                .container(container("app").dependsOn(List.of(dependsOn("db", "START"))))
                .container(container("db"))
                .build();
        TaskRecord stopping = ready(a).withContainers(TransitionsTest::running).running().stopping(StopCause.essentialExited());

        assertThat(next(stopping, a)).isEqualTo(new Step.StopContainer("app"));
        TaskRecord appStopped = stopping.withContainers(only("app", c -> c.exited(true, OptionalInt.of(143), Optional.empty(), HealthStatus.NONE)));
        assertThat(next(appStopped, a)).isEqualTo(new Step.StopContainer("db"));
        assertThat(next(appStopped.withContainers(c -> c.exited(true, OptionalInt.of(0), Optional.empty(), HealthStatus.NONE)), a))
                .isEqualTo(new Step.FinishStop());
    }

    @Test
    void aStoppedTaskIsCleanedUpAfterTheDelayAndForgottenOnceUnwantedAndAcknowledged() {
        TaskRecord stopped = ready(webAndSidecar).stopping(StopCause.essentialExited()).stopped(NOW.minusSeconds(60));
        assertThat(next(stopped, webAndSidecar)).isEqualTo(new Step.Idle(Optional.of(NOW.minusSeconds(60).plus(CLEANUP))));
        assertThat(Transitions.next(stopped, plan(webAndSidecar), Transitions.Secrets.NOT_HELD, NOW.plus(CLEANUP), CLEANUP)).isEqualTo(new Step.Cleanup());

        TaskRecord cleaned = stopped.cleaned();
        assertThat(next(cleaned, webAndSidecar)).isEqualTo(Step.Idle.untilNews());
        assertThat(next(cleaned.withUnwanted(), webAndSidecar)).isEqualTo(Step.Idle.untilNews());
        assertThat(next(cleaned.withUnwanted().acknowledged(WireStatus.STOPPED), webAndSidecar)).isEqualTo(new Step.Forget());
    }

    @Test
    void anUnwantedStoppedTaskIsCleanedUpAtOnce() {
        TaskRecord stopped = ready(webAndSidecar).stopping(StopCause.essentialExited()).stopped(NOW).withUnwanted();
        assertThat(next(stopped, webAndSidecar)).isEqualTo(new Step.Cleanup());
    }

    @Test
    void aStoppedTaskNeverStartsAgainWhateverIsDesired() {
        TaskRecord stopped = ready(webAndSidecar).stopping(StopCause.essentialExited()).stopped(NOW).cleaned()
                .withAssignment(webAndSidecar);
        assertThat(next(stopped, webAndSidecar)).isEqualTo(Step.Idle.untilNews());
        assertThat(stopped.known()).isEqualTo(WireStatus.STOPPED);
    }

    @Test
    void aFailedDependencyFailsTheWaitingContainer() {
        TaskAssignment a = TestTasks.task(ARN, "web")
                .container(container("init").essential(false))
                .container(container("app").dependsOn(List.of(dependsOn("init", "SUCCESS"))))
                .build();
        TaskRecord initFailed = ready(a).withContainers(only("init", c -> exited(c, 3)));

        Step step = next(initFailed, a);

        assertThat(step).isInstanceOfSatisfying(Step.FailContainers.class, f -> {
            assertThat(f.names()).containsExactly("app");
            assertThat(f.reason()).contains("init exited with code 3");
        });
        TaskRecord appFailed = initFailed.withContainers(only("app", c -> c.failed(((Step.FailContainers) step).reason())));
        assertThat(next(appFailed, a)).isInstanceOfSatisfying(Step.BeginStop.class,
                b -> assertThat(b.cause().code()).isEqualTo(StopCode.TaskFailedToStart));
    }

    @Test
    void aContainerWaitsForItsDependencyAndIsStartedOnceItIsMet() {
        TaskAssignment a = TestTasks.task(ARN, "web")
                .container(container("db").healthCheck(TestTasks.healthCheck("true", 1)))
                .container(container("app").dependsOn(List.of(dependsOn("db", "HEALTHY"))))
                .build();
        TaskRecord dbStarting = ready(a).withContainers(only("db", c -> running(c).withHealth(HealthStatus.STARTING)));

        assertThat(next(dbStarting, a)).isEqualTo(Step.Idle.untilNews());
        assertThat(next(dbStarting.withContainers(only("db", c -> c.withHealth(HealthStatus.HEALTHY))), a))
                .isEqualTo(new Step.StartContainer("app"));
    }

    @Test
    void waitingForDependenciesEndsAtTheStartTimeout() {
        TaskAssignment a = TestTasks.task(ARN, "web")
                .container(container("db").healthCheck(TestTasks.healthCheck("true", 1)))
                .container(container("app").startTimeout(10).dependsOn(List.of(dependsOn("db", "HEALTHY"))))
                .build();
        TaskRecord waiting = ready(a).withContainers(only("db", TransitionsTest::running));

        assertThat(next(waiting, a)).isEqualTo(new Step.Idle(Optional.of(NOW.plusSeconds(10))));
        assertThat(Transitions.next(waiting, plan(a), Transitions.Secrets.NOT_HELD, NOW.plusSeconds(10), CLEANUP))
                .isInstanceOfSatisfying(Step.FailContainers.class, f -> assertThat(f.reason()).contains("timed out"));
    }

    @Test
    void aTaskThatCannotRunHereFailsToStart() {
        TaskAssignment awsvpc = TestTasks.task(ARN, "web").container(container("web")).networkMode("awsvpc").build();

        Step step = next(TaskRecord.fresh(awsvpc), awsvpc);

        assertThat(step).isInstanceOfSatisfying(Step.FailContainers.class,
                f -> assertThat(f.reason()).startsWith("CannotCreateContainerError: ").contains("awsvpc"));
    }

    @Test
    void containersFoundWithoutARecordAreOnlyWatchedUntilTheControlPlaneNamesTheTask() {
        TaskRecord orphan = TaskRecord.orphan(ARN, List.of(running(ContainerRecord.pending("web"))), Optional.empty());
        TaskPlan plan = TaskPlan.orphan(List.of("web"), Duration.ofSeconds(30));

        assertThat(Transitions.next(orphan, plan, Transitions.Secrets.NOT_HELD, NOW, CLEANUP)).isEqualTo(Step.Idle.untilNews());
        assertThat(Transitions.next(orphan.withUnwanted(), plan, Transitions.Secrets.NOT_HELD, NOW, CLEANUP)).isInstanceOf(Step.BeginStop.class);
        assertThat(Transitions.next(orphan.withUnwanted().stopping(StopCause.essentialExited()), plan, Transitions.Secrets.NOT_HELD, NOW, CLEANUP))
                .isEqualTo(new Step.StopContainer("web"));
        TaskRecord stopped = orphan.withUnwanted().stopping(StopCause.essentialExited()).stopped(NOW);
        assertThat(Transitions.next(stopped, plan, Transitions.Secrets.NOT_HELD, NOW, CLEANUP)).isEqualTo(new Step.Cleanup());
        // Never reported, so nothing to wait for before forgetting it.
        assertThat(Transitions.next(stopped.cleaned(), plan, Transitions.Secrets.NOT_HELD, NOW, CLEANUP)).isEqualTo(new Step.Forget());
    }

    @Test
    void newTasksAreStartedOnlyIfTheControlPlaneHasNotSeenThemRun() {
        var task = webAndSidecar.task();
        assertThat(Transitions.admit(task)).isInstanceOf(Transitions.Admission.Start.class);
        assertThat(Transitions.admit(task.toBuilder().lastStatus(null).build())).isInstanceOf(Transitions.Admission.Start.class);
        assertThat(Transitions.admit(task.toBuilder().lastStatus("STOPPED").build())).isInstanceOf(Transitions.Admission.Ignore.class);
        assertThat(Transitions.admit(task.toBuilder().lastStatus("RUNNING").build()))
                .isInstanceOfSatisfying(Transitions.Admission.ReportStopped.class,
                        r -> assertThat(r.cause().reason()).isEqualTo(Transitions.CONTAINERS_MISSING));
        assertThat(Transitions.admit(TestTasks.stopped(webAndSidecar, "Scaling activity").task()))
                .isEqualTo(new Transitions.Admission.ReportStopped(new StopCause(StopCode.UserInitiated, "Scaling activity")));
    }

    @Test
    void secretsAreReadBeforeAnythingIsPulledAndOnlyWhileAContainerStillToCreateNeedsThem() {
        TaskAssignment a = TestTasks.task(ARN, "web").container(container("app")
                .secrets(List.of(dev.stevedore.model.ecs.Secret.builder().name("DB").valueFrom("/db").build()))).build();
        TaskRecord fresh = TaskRecord.fresh(a);

        assertThat(Transitions.next(fresh, plan(a), Transitions.Secrets.NOT_HELD, NOW, CLEANUP)).isEqualTo(new Step.ResolveSecrets());
        assertThat(Transitions.next(fresh, plan(a), Transitions.Secrets.HELD, NOW, CLEANUP)).isEqualTo(new Step.PullImages());
        // Adopted from the state file: the execution role's credentials come with the control plane's next word.
        assertThat(Transitions.next(fresh, plan(a), Transitions.Secrets.AWAITING_ASSIGNMENT, NOW, CLEANUP))
                .isEqualTo(Step.Idle.untilNews());
        TaskRecord created = ready(a).withContainers(only("app", TransitionsTest::running));
        assertThat(Transitions.next(created, plan(a), Transitions.Secrets.NOT_HELD, NOW, CLEANUP)).isEqualTo(new Step.BecomeRunning());
    }

    @Test
    void aTaskWhoseSecretsCannotBeReadFailsToStartForThatReason() {
        TaskAssignment a = TestTasks.task(ARN, "web").container(container("app")
                .secrets(List.of(dev.stevedore.model.ecs.Secret.builder().name("DB").valueFrom("/db").build()))).build();
        String reason = SecretResolution.REASON + "unable to find execution role credentials";
        TaskRecord failed = TaskRecord.fresh(a).withContainers(c -> c.failed(reason));

        assertThat(next(failed, a)).isEqualTo(new Step.BeginStop(StopCause.failedToStart(reason)));
    }
}
