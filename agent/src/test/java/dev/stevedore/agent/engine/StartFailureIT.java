package dev.stevedore.agent.engine;

import static dev.stevedore.agent.engine.TestTasks.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.ContainerStateChange;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Tasks that cannot start stop with TaskFailedToStart and the engine's reason; other tasks carry on. */
class StartFailureIT extends EngineITBase {

    @Test
    void anImageThatCannotBePulledFailsTheTask() {
        TaskEngine engine = startEngine();
        String arn = newTaskArn();
        // Nothing listens on this port, so the pull fails at once without any public registry.
        String image = "127.0.0.1:" + freePort() + "/stevedore-it/absent:1";
        TaskAssignment task = TestTasks.task(arn, family("pull")).container(container("app").image(image)).build();

        engine.apply(desired(task));
        awaitReported(arn, "task STOPPED");

        assertThat(reporter.transitions(arn)).containsExactly("task STOPPED");
        SubmitTaskStateChangeRequest stopped = reporter.taskChange(arn, "STOPPED").orElseThrow();
        // As ECS on EC2 shows it: the error's name, then Docker's client's words.
        assertThat(stopped.reason()).startsWith("CannotPullContainerError: Error response from daemon: Get \"http://127.0.0.1:")
                .endsWith("connect: connection refused");
        assertThat(stopped.pullStartedAt()).isNotNull();
        assertThat(stopped.pullStoppedAt()).isNotNull();
        ContainerStateChange app = stopped.containers().get(0);
        assertThat(app.status()).isEqualTo("STOPPED");
        assertThat(app.reason()).isEqualTo(stopped.reason());
        assertThat(app.runtimeId()).isNull();
        assertThat(engine.task(arn).orElseThrow().stopCode()).hasValue("TaskFailedToStart");
        assertThat(containersOf(arn)).isEmpty();
    }

    @Test
    void aCommandThatCannotRunFailsItsTaskAndLeavesTheOthersAlone() {
        TaskEngine engine = startEngine();
        String broken = newTaskArn();
        String healthy = newTaskArn();
        TaskAssignment bad = TestTasks.task(broken, family("badcmd")).container(container("app", "/does-not-exist")).build();
        TaskAssignment good = TestTasks.task(healthy, family("good")).container(container("app", "sleep", "600").stopTimeout(1)).build();

        engine.apply(desired(bad, good));
        awaitReported(broken, "task STOPPED");
        awaitReported(healthy, "task RUNNING");

        SubmitTaskStateChangeRequest stopped = reporter.taskChange(broken, "STOPPED").orElseThrow();
        assertThat(stopped.reason()).startsWith("CannotStartContainerError: ").contains("/does-not-exist");
        assertThat(stopped.containers().get(0).runtimeId()).isNotNull();
        assertThat(engine.task(broken).orElseThrow().stopCode()).hasValue("TaskFailedToStart");
        assertThat(reporter.transitions(broken)).containsExactly("task STOPPED");
        assertThat(engine.task(healthy).orElseThrow().lastStatus()).isEqualTo("RUNNING");
        assertRunning(runtimeId(engine, healthy, "app"));
    }

    @Test
    void anInvalidContainerDefinitionIsACreateError() {
        TaskEngine engine = startEngine();
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("create")).container(container("app", "true").memory(4)).build();

        engine.apply(desired(task));
        awaitReported(arn, "task STOPPED");

        assertThat(reporter.taskChange(arn, "STOPPED").orElseThrow().reason()).startsWith("CannotCreateContainerError: ").contains("memory");
        assertThat(containersOf(arn)).isEmpty();
    }

    @Test
    void anAwsvpcTaskWithoutItsNetworkInterfaceFailsToStart() {
        TaskEngine engine = startEngine();
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("awsvpc")).networkMode("awsvpc").container(container("app", "true")).build();

        engine.apply(desired(task));
        awaitReported(arn, "task STOPPED");

        assertThat(reporter.taskChange(arn, "STOPPED").orElseThrow().reason())
                .isEqualTo("CannotCreateContainerError: network mode awsvpc needs one network interface; the control plane assigned 0");
        assertThat(engine.task(arn).orElseThrow().stopCode()).hasValue("TaskFailedToStart");
        assertThat(containersOf(arn)).isEmpty();
    }

    /**
     * Some sandboxes (this project's build machines among them) run the engine without every
     * capability in its bounding set; runc then cannot start a privileged container, and the task
     * must fail to start with the engine's words rather than hang.
     */
    @Test
    void aPrivilegedTaskRunsWhereTheHostAllowsItAndOtherwiseFailsToStartClearly() throws IOException {
        TaskEngine engine = startEngine();
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("privileged"))
                .container(container("app", "sleep", "600").privileged(true).stopTimeout(1))
                .build();

        engine.apply(desired(task));

        if (hostBoundingSetIsComplete()) {
            awaitReported(arn, "task RUNNING");
            assertThat(runtime.inspectContainer(runtimeId(engine, arn, "app")).running()).isTrue();
        } else {
            awaitReported(arn, "task STOPPED");
            assertThat(reporter.taskChange(arn, "STOPPED").orElseThrow().reason()).startsWith("CannotStartContainerError: ");
            assertThat(engine.task(arn).orElseThrow().stopCode()).hasValue("TaskFailedToStart");
        }
    }

    private static boolean hostBoundingSetIsComplete() throws IOException {
        String bounding = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("CapBnd:")).findFirst().orElseThrow().substring("CapBnd:".length()).strip();
        int last = Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/cap_last_cap")).strip());
        return bounding.equals(String.format("%016x", (1L << (last + 1)) - 1));
    }
}
