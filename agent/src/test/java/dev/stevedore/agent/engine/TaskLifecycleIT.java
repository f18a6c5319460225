package dev.stevedore.agent.engine;

import static dev.stevedore.agent.engine.TestTasks.container;
import static dev.stevedore.agent.engine.TestTasks.env;
import static dev.stevedore.agent.engine.TestTasks.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.ContainerStateChange;
import dev.stevedore.model.ecs.NetworkBinding;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A task's way from desired RUNNING to STOPPED, and what the control plane hears of it. */
class TaskLifecycleIT extends EngineITBase {

    @Test
    void aWebTaskServesOnADynamicHostPortAndIsReportedRunningThenStopped() throws Exception {
        TaskEngine engine = startEngine();
        String arn = newTaskArn();
        TaskAssignment web = TestTasks.task(arn, family("web"))
                .container(container("web", "httpd", "-f", "-p", "8080", "-h", "/var/www")
                        .portMappings(List.of(TestTasks.port(8080)))
                        .stopTimeout(1))
                .build();

        engine.apply(desired(web));
        awaitReported(arn, "task RUNNING");

        SubmitTaskStateChangeRequest running = reporter.taskChange(arn, "RUNNING").orElseThrow();
        assertThat(running.cluster()).isEqualTo(cluster);
        assertThat(running.pullStartedAt()).isNotNull();
        assertThat(running.pullStoppedAt()).isNotNull();
        ContainerStateChange container = running.containers().get(0);
        assertThat(container.containerName()).isEqualTo("web");
        assertThat(container.status()).isEqualTo("RUNNING");
        assertThat(container.runtimeId()).isEqualTo(runtimeId(engine, arn, "web"));
        NetworkBinding binding = container.networkBindings().stream().filter(b -> b.bindIP().equals("0.0.0.0")).findFirst().orElseThrow();
        assertThat(binding.containerPort()).isEqualTo(8080);
        assertThat(binding.protocol()).isEqualTo("tcp");
        assertThat(binding.hostPort()).isPositive();
        await().atMost(PATIENCE).ignoreExceptions().until(() -> httpGet(binding.hostPort()).contains("stevedore test page"));

        engine.apply(desired(TestTasks.stopped(reportedRunning(web), "Task stopped by user")));
        awaitReported(arn, "task STOPPED");

        assertThat(reporter.transitions(arn)).containsExactly("task RUNNING", "task STOPPED");
        SubmitTaskStateChangeRequest stopped = reporter.taskChange(arn, "STOPPED").orElseThrow();
        assertThat(stopped.reason()).isEqualTo("Task stopped by user");
        assertThat(stopped.executionStoppedAt()).isNotNull();
        assertThat(stopped.containers()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo("STOPPED");
            assertThat(c.exitCode()).isNotNull();
        });
        assertThat(engine.task(arn).orElseThrow().stopCode()).hasValue("UserInitiated");
        assertThat(runtime.inspectContainer(container.runtimeId()).state().terminal()).isTrue();
    }

    @Test
    void anEssentialExitStopsTheTaskAndItsOtherContainersWithTheirExitCodes() {
        TaskEngine engine = startEngine();
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("exit"))
                .container(shell("app", "echo \"$GREETING $WHO\"; sleep 1; exit 3")
                        .environment(List.of(env("GREETING", "hello"), env("WHO", "definition"))))
                .container(container("sidecar", "sleep", "600").essential(false).stopTimeout(1))
                .override(TestTasks.override("app").toBuilder()
                        .command(List.of("sh", "-c", "echo \"$GREETING $WHO\"; sleep 1; exit 3"))
                        .environment(List.of(env("WHO", "override"))).build())
                .build();

        engine.apply(desired(task));
        awaitReported(arn, "task STOPPED");

        SubmitTaskStateChangeRequest stopped = reporter.taskChange(arn, "STOPPED").orElseThrow();
        assertThat(stopped.reason()).isEqualTo("Essential container in task exited");
        assertThat(stopped.containers()).extracting(ContainerStateChange::containerName, ContainerStateChange::exitCode)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("app", 3), org.assertj.core.groups.Tuple.tuple("sidecar", 137));
        TaskSnapshot snapshot = engine.task(arn).orElseThrow();
        assertThat(snapshot.stopCode()).hasValue("EssentialContainerExited");
        assertThat(runtime.logs(runtimeId(engine, arn, "app")).stdout()).isEqualTo("hello override\n");
        assertThat(reporter.transitions(arn)).last().isEqualTo("task STOPPED");
    }

    @Test
    void aNonEssentialExitIsReportedWithItsCodeAndTheTaskKeepsRunning() {
        TaskEngine engine = startEngine();
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("nonessential"))
                .container(container("app", "sleep", "600").stopTimeout(1))
                .container(shell("worker", "sleep 1; exit 5").essential(false))
                .build();

        engine.apply(desired(task));
        await().atMost(PATIENCE).until(() -> reporter.container(arn, "worker").map(c -> "STOPPED".equals(c.status())).orElse(false));

        assertThat(reporter.container(arn, "worker").orElseThrow().exitCode()).isEqualTo(5);
        assertThat(reporter.transitions(arn)).contains("task RUNNING").doesNotContain("task STOPPED");
        TaskSnapshot snapshot = engine.task(arn).orElseThrow();
        assertThat(snapshot.lastStatus()).isEqualTo("RUNNING");
        assertThat(snapshot.container("worker").orElseThrow().exitCode()).hasValue(5);
        assertRunning(runtimeId(engine, arn, "app"));
    }

    @Test
    void stoppingSendsSigtermAndKillsWhatIgnoresItAfterItsStopTimeout() {
        TaskEngine engine = startEngine();
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("stop"))
                .container(shell("stubborn", "trap '' TERM; echo ready; while true; do sleep 1; done").stopTimeout(2))
                .container(shell("polite", "trap 'exit 0' TERM; while true; do sleep 1; done").stopTimeout(20))
                .build();

        engine.apply(desired(task));
        awaitReported(arn, "task RUNNING");
        // The trap must be in place before the signal comes.
        await().atMost(PATIENCE).until(() -> runtime.logs(runtimeId(engine, arn, "stubborn")).stdout().contains("ready"));
        engine.apply(desired(TestTasks.stopped(reportedRunning(task), "Task stopped by user")));
        awaitReported(arn, "task STOPPED");

        assertThat(reporter.taskChange(arn, "STOPPED").orElseThrow().containers())
                .extracting(ContainerStateChange::containerName, ContainerStateChange::exitCode)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("stubborn", 137), org.assertj.core.groups.Tuple.tuple("polite", 0));
    }

    private static TaskAssignment reportedRunning(TaskAssignment a) {
        return TestTasks.reportedRunning(a);
    }
}
