package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.CLIENT;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.assertRejected;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.container;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.request;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.valid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.DockerVolumeConfiguration;
import dev.stevedore.model.ecs.EFSAuthorizationConfig;
import dev.stevedore.model.ecs.EFSVolumeConfiguration;
import dev.stevedore.model.ecs.HostVolumeProperties;
import dev.stevedore.model.ecs.MountPoint;
import dev.stevedore.model.ecs.Volume;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskDefinitionVolumesTest {

    private static Volume bind(String name, String path) {
        return Volume.builder().name(name).host(HostVolumeProperties.builder().sourcePath(path).build()).build();
    }

    private static ContainerDefinition mounting(String volume) {
        return container("app").mountPoints(List.of(MountPoint.builder().sourceVolume(volume).containerPath("/data").build())).build();
    }

    private static Volume efs(EFSVolumeConfiguration.Builder configuration) {
        return Volume.builder().name("shared").efsVolumeConfiguration(configuration.fileSystemId("fs-12345678").build()).build();
    }

    @Test
    void mountPointOnADeclaredVolumeIsAccepted() {
        var stored = valid(request(mounting("data")).volumes(List.of(bind("data", "/srv/data"))));
        assertThat(stored.volumes()).containsExactly(bind("data", "/srv/data"));
        assertThat(stored.containerDefinitions().get(0).mountPoints()).hasSize(1);
    }

    @Test
    void mountPointOnAnUndeclaredVolumeIsRejected() {
        assertRejected(request(mounting("root-RO")), CLIENT, "Unknown volume 'root-RO'.");
    }

    @Test
    void mountPointWithoutSourceVolumeIsRejected() {
        assertRejected(request(mounting(null)).volumes(List.of(bind("data", "/srv"))), CLIENT, "Unknown volume 'null'.");
    }

    @Test
    void volumeWithoutNameIsRejected() {
        assertRejected(request(container("app").build()).volumes(List.of(bind(null, "/srv"))), CLIENT, "Volume.name should not be null or empty.");
    }

    @Test
    void volumeNameWithInvalidCharactersIsRejected() {
        assertRejected(request(container("app").build()).volumes(List.of(bind("my data", "/srv"))), CLIENT, "Volume.name contains invalid characters.");
    }

    @Test
    void duplicateVolumeNamesAreRejected() {
        assertRejected(request(container("app").build()).volumes(List.of(bind("data", "/a"), bind("data", "/b"))), CLIENT,
                "Duplicate volume name 'data'. Volume names must be unique within a task definition.");
    }

    @Test
    void volumeOfTwoKindsIsRejected() {
        Volume both = bind("data", "/srv").toBuilder().dockerVolumeConfiguration(DockerVolumeConfiguration.builder().scope("task").build()).build();
        assertRejected(request(container("app").build()).volumes(List.of(both)), CLIENT,
                "Volume 'data' can specify only one of host, dockerVolumeConfiguration, efsVolumeConfiguration, "
                        + "fsxWindowsFileServerVolumeConfiguration, s3filesVolumeConfiguration or configuredAtLaunch.");
    }

    @Test
    void emptySourcePathIsRejected() {
        assertRejected(request(container("app").build()).volumes(List.of(bind("data", ""))), CLIENT, "host.sourcePath should not be blank.");
    }

    @Test
    void volumeWithNoConfigurationIsAccepted() {
        Volume scratch = Volume.builder().name("scratch").build();
        assertThat(valid(request(container("app").build()).volumes(List.of(scratch))).volumes()).containsExactly(scratch);
    }

    @Test
    void autoprovisionedSharedDockerVolumeIsAccepted() {
        Volume shared = Volume.builder().name("cache")
                .dockerVolumeConfiguration(DockerVolumeConfiguration.builder().scope("shared").autoprovision(true).driver("local").build()).build();
        assertThat(valid(request(container("app").build()).volumes(List.of(shared))).volumes()).containsExactly(shared);
    }

    @Test
    void autoprovisionOfTaskScopedDockerVolumeIsRejected() {
        Volume scoped = Volume.builder().name("cache")
                .dockerVolumeConfiguration(DockerVolumeConfiguration.builder().scope("task").autoprovision(true).build()).build();
        assertRejected(request(container("app").build()).volumes(List.of(scoped)), CLIENT,
                "Volume 'cache': autoprovision is supported only when the scope is shared.");
    }

    @Test
    void efsWithAccessPointAndTransitEncryptionIsAccepted() {
        Volume volume = efs(EFSVolumeConfiguration.builder().transitEncryption("ENABLED").rootDirectory("/")
                .authorizationConfig(EFSAuthorizationConfig.builder().accessPointId("fsap-1234").iam("ENABLED").build()));
        assertThat(valid(request(container("app").build()).volumes(List.of(volume))).volumes()).containsExactly(volume);
    }

    @Test
    void efsAccessPointWithOtherRootDirectoryIsRejected() {
        Volume volume = efs(EFSVolumeConfiguration.builder().transitEncryption("ENABLED").rootDirectory("/data")
                .authorizationConfig(EFSAuthorizationConfig.builder().accessPointId("fsap-1234").build()));
        assertRejected(request(container("app").build()).volumes(List.of(volume)), CLIENT,
                "Invalid request provided: Create TaskDefinition: When using an EFS access point, the root directory must "
                        + "either be set to \"/\" or be omitted.");
    }

    @Test
    void efsIamAuthorizationWithoutTransitEncryptionIsRejected() {
        Volume volume = efs(EFSVolumeConfiguration.builder()
                .authorizationConfig(EFSAuthorizationConfig.builder().iam("ENABLED").build()));
        assertRejected(request(container("app").build()).volumes(List.of(volume)), CLIENT,
                "Volume 'shared': transitEncryption must be ENABLED when IAM authorization or an access point is used.");
    }

    @Test
    void plainEfsVolumeIsAccepted() {
        Volume volume = efs(EFSVolumeConfiguration.builder().rootDirectory("/exports"));
        assertThat(valid(request(container("app").build()).volumes(List.of(volume))).volumes()).containsExactly(volume);
    }

    @Test
    void oneVolumeConfiguredAtLaunchIsAccepted() {
        Volume ebs = Volume.builder().name("ebs").configuredAtLaunch(true).build();
        assertThat(valid(request(container("app").build()).volumes(List.of(ebs))).volumes()).containsExactly(ebs);
    }

    @Test
    void twoVolumesConfiguredAtLaunchAreRejected() {
        Volume first = Volume.builder().name("a").configuredAtLaunch(true).build();
        Volume second = Volume.builder().name("b").configuredAtLaunch(true).build();
        assertRejected(request(container("app").build()).volumes(List.of(first, second)), CLIENT,
                "Only one volume in a task definition can be configured at launch.");
    }
}
