package dev.stevedore.agent.engine;

import static dev.stevedore.agent.engine.TestTasks.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.ContainerStateChange;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** How the engine follows the desired state, and how it copes with a control plane that does not answer. */
class DesiredStateIT extends EngineITBase {

    private TaskAssignment sleeper(String arn, String purpose) {
        return TestTasks.task(arn, family(purpose)).container(container("app", "sleep", "600").stopTimeout(1)).build();
    }

    @Test
    void repeatedAndStaleStatesAreIgnoredAndATaskNoLongerListedIsStoppedAndCleanedUp() {
        TaskEngine engine = startEngine();
        String first = newTaskArn();
        String second = newTaskArn();
        TaskAssignment a = sleeper(first, "keep");
        TaskAssignment b = sleeper(second, "later");

        engine.apply(desiredAt(5, a));
        engine.apply(desiredAt(5, a));
        awaitReported(first, "task RUNNING");
        String container = runtimeId(engine, first, "app");
        // Neither may stop the task: one repeats the applied revision, the other is older.
        engine.apply(desiredAt(5));
        engine.apply(desiredAt(4));
        engine.apply(desiredAt(6, TestTasks.reportedRunning(a), b));
        awaitReported(second, "task RUNNING");

        assertThat(reporter.transitions(first)).containsExactly("task RUNNING");
        assertThat(containersOf(first)).hasSize(1);
        assertRunning(container);

        engine.apply(desiredAt(7, TestTasks.reportedRunning(b)));
        awaitReported(first, "task STOPPED");
        await().atMost(PATIENCE).until(() -> containersOf(first).isEmpty());
        await().atMost(PATIENCE).until(() -> engine.task(first).isEmpty());
        assertThat(Files.exists(new TaskStateStore(dataDir).file(first))).isFalse();
        assertThat(reporter.taskChange(first, "STOPPED").orElseThrow().reason()).isEqualTo(Transitions.UNWANTED_REASON);
        assertRunning(runtimeId(engine, second, "app"));
    }

    @Test
    void failedReportsAreRetriedUntilDeliveredWithoutHoldingUpOtherTasks() {
        TaskEngine engine = startEngine();
        String unlucky = newTaskArn();
        String lucky = newTaskArn();
        reporter.failFor(unlucky::equals);

        engine.apply(desired(sleeper(unlucky, "unlucky"), sleeper(lucky, "lucky")));
        awaitReported(lucky, "task RUNNING");
        awaitTask(engine, unlucky, "RUNNING");
        await().atMost(PATIENCE).until(() -> reporter.failures() >= 2);
        assertThat(reporter.transitions(unlucky)).isEmpty();

        reporter.heal();
        awaitReported(unlucky, "task RUNNING");
        assertThat(reporter.transitions(unlucky)).containsExactly("task RUNNING");
    }

    @Test
    void aContainerRemovedBehindTheAgentsBackStopsItsTask() {
        TaskEngine engine = startEngine();
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("removed"))
                .container(container("app", "sleep", "600").stopTimeout(1))
                .container(container("side", "sleep", "600").essential(false).stopTimeout(1))
                .build();
        engine.apply(desired(task));
        awaitReported(arn, "task RUNNING");

        runtime.removeContainer(runtimeId(engine, arn, "app"));
        awaitReported(arn, "task STOPPED");

        ContainerStateChange app = reporter.container(arn, "app").orElseThrow();
        assertThat(app.status()).isEqualTo("STOPPED");
        assertThat(app.reason()).isEqualTo("Docker container was removed outside of the agent");
        assertThat(reporter.taskChange(arn, "STOPPED").orElseThrow().reason()).isEqualTo("Essential container in task exited");
        assertThat(reporter.container(arn, "side").orElseThrow().status()).isEqualTo("STOPPED");
        assertThat(engine.task(arn).orElseThrow().stopCode()).hasValue("EssentialContainerExited");
    }
}
