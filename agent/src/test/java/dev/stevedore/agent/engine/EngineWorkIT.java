package dev.stevedore.agent.engine;

import static dev.stevedore.agent.engine.TestTasks.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.model.agent.TaskAssignment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the engine asks of Docker for a task beyond creating and starting it: only what tells it something. */
class EngineWorkIT extends EngineITBase {

    /** Polling so rare that only news makes a supervisor look at its containers. */
    private EngineSettings newsOnly() {
        return settings().withPollInterval(Duration.ofMinutes(10));
    }

    @Test
    void aStartedContainerIsNotInspectedUntilSomethingHappensToIt() throws Exception {
        CountingRuntime counting = new CountingRuntime(runtime);
        TaskEngine engine = startEngine(counting, reporter, newsOnly());
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("quiet")).container(container("app", "sleep", "600").stopTimeout(1)).build();

        engine.apply(desired(task));
        awaitReported(arn, "task RUNNING");
        String id = runtimeId(engine, arn, "app");
        // The engine's start event arrives after the start call answered; give it time to be handled.
        Thread.sleep(1_000);

        assertThat(counting.inspections(id)).isZero();

        runtime.stopContainer(id, Duration.ZERO);

        awaitReported(arn, "task STOPPED");
        assertThat(counting.inspections(id)).isPositive();
        assertThat(reporter.taskChange(arn, "STOPPED").orElseThrow().reason()).isEqualTo("Essential container in task exited");
    }

    @Test
    void aDynamicHostPortIsLearntRightAfterTheStartAndReportedWithRunning() {
        CountingRuntime counting = new CountingRuntime(runtime);
        TaskEngine engine = startEngine(counting, reporter, newsOnly());
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("ports"))
                .container(container("web", "httpd", "-f", "-p", "8080").portMappings(List.of(TestTasks.port(8080))).stopTimeout(1))
                .build();

        engine.apply(desired(task));
        awaitReported(arn, "task RUNNING");

        // Docker publishes the port on IPv4 and, where it has it, IPv6.
        assertThat(reporter.taskChange(arn, "RUNNING").orElseThrow().containers()).singleElement()
                .satisfies(c -> assertThat(c.networkBindings()).isNotEmpty()
                        .allSatisfy(b -> assertThat(b.hostPort()).isPositive()));
        assertThat(counting.inspections(runtimeId(engine, arn, "web"))).isPositive();
    }
}
