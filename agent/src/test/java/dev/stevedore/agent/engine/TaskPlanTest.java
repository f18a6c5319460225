package dev.stevedore.agent.engine;

import static dev.stevedore.agent.engine.TestTasks.container;
import static dev.stevedore.agent.engine.TestTasks.dependsOn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.agent.engine.Dependency.Condition;
import dev.stevedore.model.agent.NetworkInterfaceAssignment;
import dev.stevedore.model.agent.EfsVolumeAssignment;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.DockerVolumeConfiguration;
import dev.stevedore.model.ecs.EFSVolumeConfiguration;
import dev.stevedore.model.ecs.MountPoint;
import dev.stevedore.model.ecs.Volume;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskPlanTest {

    private static final String ARN = TestTasks.ACCOUNT_PREFIX + "task/c/42";

    private static TaskPlan plan(TaskAssignment a) {
        return TaskPlan.of(a, "instance", Duration.ofSeconds(30));
    }

    @Test
    void essentialDefaultsToTrueAndStopTimeoutToTheAgentsDefault() {
        TaskPlan p = plan(TestTasks.task(ARN, "f")
                .container(container("a").essential(null))
                .container(container("b").essential(false).stopTimeout(5))
                .build());

        assertThat(p.container("a").orElseThrow().essential()).isTrue();
        assertThat(p.container("a").orElseThrow().stopTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.container("b").orElseThrow().essential()).isFalse();
        assertThat(p.container("b").orElseThrow().stopTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.error()).isEmpty();
        assertThat(p.networkMode()).isEqualTo("bridge");
    }

    @Test
    void linksAndVolumesFromAreStartDependenciesUnlessDependsOnSaysMore() {
        TaskPlan p = plan(TestTasks.task(ARN, "f")
                .container(container("app")
                        .links(List.of("db:database", "cache"))
                        .volumesFrom(List.of(dev.stevedore.model.ecs.VolumeFrom.builder().sourceContainer("data").build()))
                        .dependsOn(List.of(dependsOn("db", "HEALTHY"))))
                .container(container("db").healthCheck(TestTasks.healthCheck("true", 1)))
                .container(container("cache"))
                .container(container("data").essential(false))
                .build());

        assertThat(p.container("app").orElseThrow().dependsOn()).containsExactlyInAnyOrder(
                new Dependency("db", Condition.HEALTHY), new Dependency("cache", Condition.START), new Dependency("data", Condition.START));
        assertThat(p.startOrder()).containsExactly("db", "cache", "data", "app");
        assertThat(p.stopOrder()).containsExactly("app", "data", "cache", "db");
    }

    @Test
    void problemsBecomeOneCreateErrorReason() {
        TaskPlan p = plan(TestTasks.task(ARN, "f")
                .networkMode("nat")
                .container(container("a").dependsOn(List.of(dependsOn("ghost", "START"))))
                .build());

        assertThat(p.error()).hasValueSatisfying(e -> assertThat(e)
                .startsWith("CannotCreateContainerError: ")
                .contains("network mode nat is not supported on Linux")
                .contains("depends on ghost"));
    }

    @Test
    void anAwsvpcTaskRunsOnItsOneInterface() {
        NetworkInterfaceAssignment eni = TestTasks.eni("subnet-1", "10.0.1.0/24", "10.0.1.17");
        TaskPlan p = plan(TestTasks.task(ARN, "f").awsvpc(eni).container(container("a")).build());

        assertThat(p.error()).isEmpty();
        assertThat(p.networkMode()).isEqualTo("awsvpc");
        assertThat(p.networkInterface()).contains(eni);
    }

    @Test
    void anAwsvpcTaskWithoutInterfaceCannotRun() {
        TaskPlan p = plan(TestTasks.task(ARN, "f").networkMode("awsvpc").container(container("a")).build());

        assertThat(p.error()).hasValueSatisfying(e -> assertThat(e)
                .contains("network mode awsvpc needs one network interface; the control plane assigned 0"));
        assertThat(p.networkInterface()).isEmpty();
    }

    @Test
    void anAwsvpcAddressOutsideItsSubnetOrReservedCannotRun() {
        TaskPlan outside = plan(TestTasks.task(ARN, "f")
                .awsvpc(TestTasks.eni("subnet-1", "10.0.1.0/24", "10.0.2.17")).container(container("a")).build());
        TaskPlan router = plan(TestTasks.task(ARN, "f")
                .awsvpc(TestTasks.eni("subnet-1", "10.0.1.0/24", "10.0.1.1")).container(container("a")).build());

        assertThat(outside.error()).hasValueSatisfying(e -> assertThat(e).contains("10.0.2.17 is not a usable address"));
        assertThat(router.error()).hasValueSatisfying(e -> assertThat(e).contains("10.0.1.1 is not a usable address"));
    }

    @Test
    void linksCannotBeUsedInAwsvpc() {
        TaskPlan p = plan(TestTasks.task(ARN, "f")
                .awsvpc(TestTasks.eni("subnet-1", "10.0.1.0/24", "10.0.1.17"))
                .container(container("a").links(List.of("b")))
                .container(container("b"))
                .build());

        assertThat(p.error()).hasValueSatisfying(e -> assertThat(e).contains("container a has links"));
    }

    @Test
    void namelessOrRepeatedContainerNamesAreErrors() {
        TaskPlan p = plan(TestTasks.task(ARN, "f")
                .container(container("a"))
                .container(container("a"))
                .container(container("b").name(null))
                .build());

        assertThat(p.containers()).extracting(PlannedContainer::name).containsExactly("a");
        assertThat(p.error()).hasValueSatisfying(e -> assertThat(e).contains("a is used twice").contains("has no name"));
    }

    @Test
    void aTaskWithoutEssentialContainerCannotRun() {
        assertThat(plan(TestTasks.task(ARN, "f").container(container("a").essential(false)).build()).error())
                .hasValueSatisfying(e -> assertThat(e).contains("no essential container"));
    }

    @Test
    void unsupportedOrUndeclaredVolumesAreErrors() {
        TaskPlan p = plan(TestTasks.task(ARN, "f")
                .volume(Volume.builder().name("ebs").configuredAtLaunch(true).build())
                .container(container("a").mountPoints(List.of(
                        MountPoint.builder().sourceVolume("ebs").containerPath("/ebs").build(),
                        MountPoint.builder().sourceVolume("nowhere").containerPath("/x").build())))
                .build());

        assertThat(p.error()).hasValueSatisfying(e -> assertThat(e).contains("volume ebs uses a volume type").contains("does not declare"));
    }

    @Test
    void anEfsVolumeIsMountedAsTheControlPlaneResolvedIt() {
        EfsVolumeAssignment resolved = new EfsVolumeAssignment("efs", "fs-1", "192.0.2.10", "fs-1", "/data", true,
                EfsVolumeAssignment.DirectoryCreation.NONE, "");
        TaskAssignment a = TestTasks.task(ARN, "f")
                .volume(Volume.builder().name("efs").efsVolumeConfiguration(EFSVolumeConfiguration.builder().fileSystemId("fs-1").build()).build())
                .container(container("a").mountPoints(List.of(MountPoint.builder().sourceVolume("efs").containerPath("/efs").build())))
                .build();

        assertThat(plan(a.withEfsVolumes(List.of(resolved))).volumes()).containsEntry("efs", new VolumePlan.Efs(resolved));
        // From a control plane that resolves no EFS volume, the task cannot start.
        assertThat(plan(a).error()).hasValueSatisfying(e -> assertThat(e).contains("did not say where its file system is served"));
    }

    @Test
    void taskVolumesGetNamesUniquePerTaskAndSharedOnesKeepTheirs() {
        TaskPlan p = plan(TestTasks.task(ARN, "f")
                .volume(Volume.builder().name("tmp").dockerVolumeConfiguration(DockerVolumeConfiguration.builder().scope("task").driver("local").build()).build())
                .volume(Volume.builder().name("db").dockerVolumeConfiguration(DockerVolumeConfiguration.builder().scope("shared").build()).build())
                .container(container("a").mountPoints(List.of(
                        MountPoint.builder().sourceVolume("tmp").containerPath("/tmp").build(),
                        MountPoint.builder().sourceVolume("db").containerPath("/db").build())))
                .build());

        assertThat(p.volumes().get("tmp")).isInstanceOfSatisfying(VolumePlan.TaskScoped.class, t -> {
            assertThat(t.spec().name()).isEqualTo("ecs-f-3-tmp-42");
            assertThat(t.spec().labels()).containsEntry(Labels.TASK_ARN, ARN);
        });
        assertThat(p.volumes().get("db")).isInstanceOfSatisfying(VolumePlan.Shared.class, s -> {
            assertThat(s.spec().name()).isEqualTo("db");
            assertThat(s.autoprovision()).isFalse();
        });
    }

    @Test
    void taskLevelLimitsComeFromTheOverrideOrTheDefinition() {
        TaskAssignment a = TestTasks.task(ARN, "f").limits("256", "512").container(container("a")).build();
        assertThat(plan(a).cpuUnits()).hasValue(256);
        assertThat(plan(a).memoryMiB()).hasValue(512);

        TaskAssignment overridden = new TaskAssignment(
                a.task().toBuilder().overrides(dev.stevedore.model.ecs.TaskOverride.builder().memory("1024").build()).build(),
                a.taskDefinition());
        assertThat(plan(overridden).memoryMiB()).hasValue(1024);
    }
}
