package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.Absent.isBlank;
import static dev.stevedore.control.ecs.taskdef.Absent.isTrue;
import static dev.stevedore.control.ecs.taskdef.Absent.orEmpty;

import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.DockerVolumeConfiguration;
import dev.stevedore.model.ecs.EFSAuthorizationConfigIAM;
import dev.stevedore.model.ecs.EFSTransitEncryption;
import dev.stevedore.model.ecs.EFSVolumeConfiguration;
import dev.stevedore.model.ecs.MountPoint;
import dev.stevedore.model.ecs.Scope;
import dev.stevedore.model.ecs.Volume;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Task volumes and the container mount points that use them. */
final class VolumeRules {

    private VolumeRules() {
    }

    static void check(List<Volume> volumes, List<ContainerDefinition> containers) {
        Set<String> names = new HashSet<>();
        int configuredAtLaunch = 0;
        for (Volume volume : volumes) {
            checkName(volume.name(), names);
            checkOneKind(volume);
            checkHost(volume);
            checkDocker(volume.name(), volume.dockerVolumeConfiguration());
            checkEfs(volume.name(), volume.efsVolumeConfiguration());
            configuredAtLaunch += isTrue(volume.configuredAtLaunch()) ? 1 : 0;
        }
        if (configuredAtLaunch > 1) {
            // Unverified text; the one-per-task limit is documented for volumes configured at launch.
            throw InvalidTaskDefinitionException.client("Only one volume in a task definition can be configured at launch.");
        }
        for (ContainerDefinition container : containers) {
            for (MountPoint mountPoint : orEmpty(container.mountPoints())) {
                if (mountPoint.sourceVolume() == null || !names.contains(mountPoint.sourceVolume())) {
                    // Verified, including "Unknown volume 'null'." for a mount point without a source.
                    throw InvalidTaskDefinitionException.client("Unknown volume '" + mountPoint.sourceVolume() + "'.");
                }
            }
        }
    }

    private static void checkName(String name, Set<String> seen) {
        // All three texts unverified, worded like the verified container ones.
        if (isBlank(name)) {
            throw InvalidTaskDefinitionException.client("Volume.name should not be null or empty.");
        }
        if (!ContainerRules.NAME.matcher(name).matches()) {
            throw InvalidTaskDefinitionException.client("Volume.name contains invalid characters.");
        }
        if (!seen.add(name)) {
            throw InvalidTaskDefinitionException.client("Duplicate volume name '" + name + "'. Volume names must be unique within a task definition.");
        }
    }

    /** A volume is one thing: a bind mount, a Docker volume, an EFS or FSx share, an S3 bucket, or an EBS volume given at launch. */
    private static void checkOneKind(Volume volume) {
        long kinds = Stream.of(volume.host(), volume.dockerVolumeConfiguration(), volume.efsVolumeConfiguration(),
                        volume.fsxWindowsFileServerVolumeConfiguration(), volume.s3filesVolumeConfiguration(),
                        isTrue(volume.configuredAtLaunch()) ? Boolean.TRUE : null)
                .filter(kind -> kind != null)
                .count();
        if (kinds > 1) {
            throw InvalidTaskDefinitionException.client("Volume '" + volume.name()
                    + "' can specify only one of host, dockerVolumeConfiguration, efsVolumeConfiguration, "
                    + "fsxWindowsFileServerVolumeConfiguration, s3filesVolumeConfiguration or configuredAtLaunch."); // unverified
        }
    }

    private static void checkHost(Volume volume) {
        // An empty host object is allowed (Docker picks the path); an empty path is not.
        if (volume.host() != null && volume.host().sourcePath() != null && volume.host().sourcePath().isBlank()) {
            throw InvalidTaskDefinitionException.client("host.sourcePath should not be blank."); // verified
        }
    }

    private static void checkDocker(String name, DockerVolumeConfiguration docker) {
        // Docker only auto-creates shared volumes: task-scoped ones are created and removed with each task anyway.
        if (docker != null && isTrue(docker.autoprovision()) && !Scope.SHARED.equals(docker.scope())) {
            throw InvalidTaskDefinitionException.client("Volume '" + name
                    + "': autoprovision is supported only when the scope is shared."); // unverified
        }
    }

    private static void checkEfs(String name, EFSVolumeConfiguration efs) {
        if (efs == null) {
            return;
        }
        var auth = efs.authorizationConfig();
        boolean accessPoint = auth != null && auth.accessPointId() != null;
        boolean iam = auth != null && EFSAuthorizationConfigIAM.ENABLED.equals(auth.iam());
        // The access point fixes the root itself, so the volume may only name "/" (EFSVolumeConfiguration docs).
        if (accessPoint && efs.rootDirectory() != null && !"/".equals(efs.rootDirectory())) {
            // Reported by users (aws-cdk issue 10683) up to "be omi…"; the end is the obvious one.
            throw InvalidTaskDefinitionException.client("Invalid request provided: Create TaskDefinition: When using an EFS"
                    + " access point, the root directory must either be set to \"/\" or be omitted.");
        }
        // IAM authorization and access points ride on the TLS tunnel of the EFS mount helper.
        if ((accessPoint || iam) && !EFSTransitEncryption.ENABLED.equals(efs.transitEncryption())) {
            throw InvalidTaskDefinitionException.client("Volume '" + name
                    + "': transitEncryption must be ENABLED when IAM authorization or an access point is used."); // unverified
        }
    }
}
