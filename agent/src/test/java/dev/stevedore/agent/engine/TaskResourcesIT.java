package dev.stevedore.agent.engine;

import static dev.stevedore.agent.engine.TestTasks.container;
import static dev.stevedore.agent.engine.TestTasks.dependsOn;
import static dev.stevedore.agent.engine.TestTasks.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.DockerVolumeConfiguration;
import dev.stevedore.model.ecs.HostVolumeProperties;
import dev.stevedore.model.ecs.MountPoint;
import dev.stevedore.model.ecs.NetworkBinding;
import dev.stevedore.model.ecs.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a task's containers get from the host: volumes, the task cgroup, networking; and clean-up after the task. */
class TaskResourcesIT extends EngineITBase {

    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

    private static MountPoint mount(String volume, String path) {
        return MountPoint.builder().sourceVolume(volume).containerPath(path).build();
    }

    @Test
    void volumesAreMountedAndTaskVolumesGoWithTheTaskWhileSharedOnesStay(@TempDir Path host) throws IOException {
        TaskEngine engine = startEngine(reporter, settings().withCleanupDelay(Duration.ofSeconds(1)));
        String arn = newTaskArn();
        String taskId = arn.substring(arn.lastIndexOf('/') + 1);
        String shared = volumeName("shared");
        String scratch = TaskPlan.taskVolumeName(family("vol"), 3, "scratch", taskId);
        String cache = TaskPlan.taskVolumeName(family("vol"), 3, "cache", taskId);
        trackVolume(scratch);
        trackVolume(cache);
        TaskAssignment task = TestTasks.task(arn, family("vol"))
                .volume(Volume.builder().name("host").host(HostVolumeProperties.builder().sourcePath(host.toString()).build()).build())
                .volume(Volume.builder().name("scratch").host(HostVolumeProperties.builder().build()).build())
                .volume(Volume.builder().name("cache").dockerVolumeConfiguration(DockerVolumeConfiguration.builder().scope("task").build()).build())
                .volume(Volume.builder().name(shared).dockerVolumeConfiguration(
                        DockerVolumeConfiguration.builder().scope("shared").autoprovision(true).build()).build())
                .container(shell("writer", "echo scratch > /scratch/f; echo cache > /cache/f; echo shared > /shared/f")
                        .essential(false)
                        .mountPoints(List.of(mount("scratch", "/scratch"), mount("cache", "/cache"), mount(shared, "/shared"))))
                .container(shell("reader", "cat /scratch/f /cache/f /shared/f > /host/seen")
                        .dependsOn(List.of(dependsOn("writer", "SUCCESS")))
                        .mountPoints(List.of(mount("host", "/host"), mount("scratch", "/scratch"), mount("cache", "/cache"), mount(shared, "/shared"))))
                .build();

        engine.apply(desired(task));
        awaitReported(arn, "task STOPPED");

        assertThat(Files.readAllLines(host.resolve("seen"))).containsExactly("scratch", "cache", "shared");
        assertThat(reporter.container(arn, "reader").orElseThrow().exitCode()).isEqualTo(0);
        await().atMost(PATIENCE).until(() -> containersOf(arn).isEmpty());
        await().atMost(PATIENCE).until(() -> runtime.inspectVolume(scratch).isEmpty() && runtime.inspectVolume(cache).isEmpty());
        assertThat(runtime.inspectVolume(shared)).isPresent();
    }

    @Test
    void aMissingSharedVolumeWithoutAutoprovisionFailsTheTask() {
        TaskEngine engine = startEngine();
        String arn = newTaskArn();
        String shared = volumeName("absent");
        TaskAssignment task = TestTasks.task(arn, family("noauto"))
                .volume(Volume.builder().name(shared).dockerVolumeConfiguration(DockerVolumeConfiguration.builder().scope("shared").build()).build())
                .container(container("app", "true").mountPoints(List.of(mount(shared, "/data"))))
                .build();

        engine.apply(desired(task));
        awaitReported(arn, "task STOPPED");

        assertThat(reporter.taskChange(arn, "STOPPED").orElseThrow().reason())
                .startsWith("CannotCreateContainerError: ").contains(shared).contains("autoprovision");
        assertThat(runtime.inspectVolume(shared)).isEmpty();
    }

    @Test
    void taskLevelCpuAndMemoryGoIntoATaskCgroupThatIsTheContainersParent() throws IOException {
        TaskEngine engine = startEngine(reporter, settings().withCleanupDelay(Duration.ofSeconds(1)));
        String arn = newTaskArn();
        String taskId = arn.substring(arn.lastIndexOf('/') + 1);
        TaskAssignment task = TestTasks.task(arn, family("cgroup"))
                .limits("256", "64")
                .container(shell("app", "cat /proc/self/cgroup; sleep 600").stopTimeout(1))
                .build();

        engine.apply(desired(task));
        awaitReported(arn, "task RUNNING");

        Path memory = CGROUPS.resolve("memory/stevedore").resolve(taskId);
        Path cpu = CGROUPS.resolve("cpu/stevedore").resolve(taskId);
        assertThat(Files.readString(memory.resolve("memory.limit_in_bytes")).strip()).isEqualTo(Long.toString(64L * 1024 * 1024));
        assertThat(Files.readString(cpu.resolve("cpu.cfs_quota_us")).strip()).isEqualTo("25000");
        assertThat(Files.readString(cpu.resolve("cpu.shares")).strip()).isEqualTo("256");
        String app = runtimeId(engine, arn, "app");
        await().atMost(PATIENCE).until(() -> runtime.logs(app).stdout().contains(":memory:/stevedore/" + taskId + "/" + app));

        engine.apply(desired(TestTasks.stopped(TestTasks.reportedRunning(task), "Task stopped by user")));
        await().atMost(PATIENCE).until(() -> containersOf(arn).isEmpty());
        await().atMost(PATIENCE).until(() -> !Files.exists(memory) && !Files.exists(cpu));
    }

    @Test
    void hostNetworkingPublishesTheContainerPortItself() {
        TaskEngine engine = startEngine();
        String arn = newTaskArn();
        int port = freePort();
        TaskAssignment task = TestTasks.task(arn, family("host"))
                .networkMode("host")
                .container(container("web", "httpd", "-f", "-p", "127.0.0.1:" + port, "-h", "/var/www")
                        .portMappings(List.of(TestTasks.port(port)))
                        .stopTimeout(1))
                .build();

        engine.apply(desired(task));
        awaitReported(arn, "task RUNNING");

        NetworkBinding binding = reporter.taskChange(arn, "RUNNING").orElseThrow().containers().get(0).networkBindings().get(0);
        assertThat(binding.hostPort()).isEqualTo(port);
        assertThat(binding.containerPort()).isEqualTo(port);
        await().atMost(PATIENCE).ignoreExceptions().until(() -> httpGet(port).contains("stevedore test page"));
    }

    @Test
    void linkedContainersReachEachOtherByAliasInBridgeMode() {
        TaskEngine engine = startEngine();
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("links"))
                .container(container("db", "httpd", "-f", "-p", "8080", "-h", "/var/www").essential(false).stopTimeout(1))
                .container(shell("app", "until wget -q -O- http://database:8080/ ; do sleep 0.2; done")
                        .links(List.of("db:database")))
                .build();

        engine.apply(desired(task));
        awaitReported(arn, "task STOPPED");

        assertThat(reporter.container(arn, "app").orElseThrow().exitCode()).isEqualTo(0);
        assertThat(runtime.logs(runtimeId(engine, arn, "app")).stdout()).contains("stevedore test page");
    }
}
