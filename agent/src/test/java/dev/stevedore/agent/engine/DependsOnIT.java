package dev.stevedore.agent.engine;

import static dev.stevedore.agent.engine.TestTasks.container;
import static dev.stevedore.agent.engine.TestTasks.dependsOn;
import static dev.stevedore.agent.engine.TestTasks.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stevedore.agent.runtime.ContainerStatus;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.HostVolumeProperties;
import dev.stevedore.model.ecs.MountPoint;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import dev.stevedore.model.ecs.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container start order by dependsOn, and what happens when a dependency cannot be met. */
class DependsOnIT extends EngineITBase {

    private static MountPoint marks() {
        return MountPoint.builder().sourceVolume("marks").containerPath("/marks").build();
    }

    @Test
    void containersStartOnlyOnceTheirStartSuccessAndHealthyDependenciesAreMet(@TempDir Path marks) throws IOException {
        TaskEngine engine = startEngine();
        String arn = newTaskArn();
        // Each dependency leaves a mark in a host directory; "app" records which marks it found when it started.
        TaskAssignment task = TestTasks.task(arn, family("deps"))
                .volume(Volume.builder().name("marks").host(HostVolumeProperties.builder().sourcePath(marks.toString()).build()).build())
                .container(shell("app", "ls /marks > /marks/seen-by-app; sleep 600")
                        .mountPoints(List.of(marks())).stopTimeout(1)
                        .dependsOn(List.of(dependsOn("init", "SUCCESS"), dependsOn("db", "HEALTHY"))))
                .container(shell("init", "sleep 1; touch /marks/init-done").essential(false).mountPoints(List.of(marks())))
                .container(shell("db", "sleep 1; touch /marks/db-ready; sleep 600")
                        .mountPoints(List.of(marks())).stopTimeout(1)
                        .healthCheck(TestTasks.healthCheck("test -f /marks/db-ready", 10)))
                .container(container("proxy", "sleep", "600").stopTimeout(1).dependsOn(List.of(dependsOn("app", "START"))))
                .build();

        engine.apply(desired(task));
        awaitReported(arn, "task RUNNING");

        await().atMost(PATIENCE).until(() -> Files.exists(marks.resolve("seen-by-app")));
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(Files.readAllLines(marks.resolve("seen-by-app"))).contains("db-ready", "init-done"));
        ContainerStatus init = runtime.inspectContainer(runtimeId(engine, arn, "init"));
        Instant appStarted = runtime.inspectContainer(runtimeId(engine, arn, "app")).startedAt().orElseThrow();
        Instant proxyStarted = runtime.inspectContainer(runtimeId(engine, arn, "proxy")).startedAt().orElseThrow();
        assertThat(init.exitCode()).hasValue(0);
        assertThat(appStarted).isAfterOrEqualTo(init.finishedAt().orElseThrow());
        assertThat(proxyStarted).isAfterOrEqualTo(appStarted);
        assertThat(reporter.container(arn, "init").orElseThrow().exitCode()).isEqualTo(0);

        await().atMost(PATIENCE).until(() -> engine.task(arn).orElseThrow().container("db").orElseThrow()
                .healthStatus().equals("HEALTHY"));
        await().atMost(PATIENCE).until(() -> !reporter.healthChanges(arn).isEmpty()
                && "HEALTHY".equals(reporter.healthChanges(arn).getLast().containers().get("db")));
        // Only what the agent observes: each container's health, the task's is the control plane's to derive.
        assertThat(reporter.healthChanges(arn).getLast().containers()).containsEntry("db", "HEALTHY").containsEntry("app", "UNKNOWN");
    }

    @Test
    void aFailedSuccessDependencyStopsTheTaskBeforeItRuns() {
        TaskEngine engine = startEngine();
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("success"))
                .container(container("app", "sleep", "600").dependsOn(List.of(dependsOn("migrate", "SUCCESS"))))
                .container(shell("migrate", "exit 4").essential(false))
                .build();

        engine.apply(desired(task));
        awaitReported(arn, "task STOPPED");

        assertThat(reporter.transitions(arn)).doesNotContain("task RUNNING");
        SubmitTaskStateChangeRequest stopped = reporter.taskChange(arn, "STOPPED").orElseThrow();
        assertThat(stopped.reason()).isEqualTo(
                "CannotStartContainerError: dependency of container app on migrate (condition SUCCESS) cannot be met: migrate exited with code 4");
        assertThat(engine.task(arn).orElseThrow().stopCode()).hasValue("TaskFailedToStart");
        assertThat(reporter.container(arn, "migrate").orElseThrow().exitCode()).isEqualTo(4);
        assertThat(reporter.container(arn, "app").orElseThrow().runtimeId()).isNull();
    }

    @Test
    void anUnhealthyDependencyStopsTheTaskWithAClearReason() {
        TaskEngine engine = startEngine();
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("healthy"))
                .container(container("db", "sleep", "600").stopTimeout(1).healthCheck(TestTasks.healthCheck("false", 1)))
                .container(container("app", "sleep", "600").dependsOn(List.of(dependsOn("db", "HEALTHY"))))
                .build();

        engine.apply(desired(task));
        awaitReported(arn, "task STOPPED");

        assertThat(reporter.taskChange(arn, "STOPPED").orElseThrow().reason())
                .isEqualTo("CannotStartContainerError: dependency of container app on db (condition HEALTHY) cannot be met: db is unhealthy");
        assertThat(engine.task(arn).orElseThrow().stopCode()).hasValue("TaskFailedToStart");
        assertThat(engine.task(arn).orElseThrow().container("db").orElseThrow().healthStatus()).isEqualTo("UNHEALTHY");
    }
}
