package dev.stevedore.model.agent;

import java.util.Objects;
import java.util.Optional;

/**
 * An EFS volume of a task ({@code efsVolumeConfiguration}) as the control plane resolved it for the
 * agent: the Gluster volume that holds the file system and where on its storage host it is served, the
 * directory of it the task sees, and whether the task may write. The agent mounts the volume once per
 * host and binds the directory into the containers that name the task volume.
 *
 * <p>A volume that cannot be mounted (the file system or access point is missing, not available, or
 * has no mount target in the task's zone; the task role may not mount it) carries the reason in
 * {@code failure}, and the agent fails the task with it before creating any container, as ECS does
 * when its EFS mount helper fails.
 *
 * @param volumeName    the task definition's volume name
 * @param fileSystemId  {@code fs-…}
 * @param server        the storage host serving the volume (an address Gluster's FUSE client reaches)
 * @param glusterVolume the Gluster volume's name
 * @param path          the directory of the file system the task sees: {@code /}, the volume's
 *                      {@code rootDirectory}, or the access point's root directory
 * @param readOnly      whether every mount of it is read-only (IAM allows ClientMount without ClientWrite)
 * @param creation      the owner and permissions {@code path} is made with when it does not exist (an
 *                      access point's {@code CreationInfo}); {@link DirectoryCreation#NONE}: a missing path
 *                      fails the mount
 * @param failure       why the volume cannot be mounted; "" when it can
 * @param accessPointId the access point the task mounts through ({@code fsap-…}); "" for none
 * @param owner         the access point's POSIX user, whom every file operation through it acts as;
 *                      {@link Owner#NONE}: the callers' own ids stand
 *
 * <p>No member is an {@link Optional}: the agent keeps assignments on disk with a plain mapper.
 */
public record EfsVolumeAssignment(String volumeName, String fileSystemId, String server, String glusterVolume,
                                  String path, boolean readOnly, DirectoryCreation creation, String failure,
                                  String accessPointId, Owner owner) {
    /** ECS's stopped reason when its EFS mount helper fails; the helper's own words follow it. */
    public static final String MOUNT_FAILED =
            "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: ";

    public EfsVolumeAssignment {
        Objects.requireNonNull(volumeName, "volumeName");
        Objects.requireNonNull(fileSystemId, "fileSystemId");
        server = server == null ? "" : server;
        glusterVolume = glusterVolume == null ? "" : glusterVolume;
        path = path == null || path.isEmpty() ? "/" : path;
        creation = creation == null ? DirectoryCreation.NONE : creation;
        failure = failure == null ? "" : failure;
        accessPointId = accessPointId == null ? "" : accessPointId;
        owner = owner == null ? Owner.NONE : owner;
    }

    /** A volume mounted without an access point's POSIX user. */
    public EfsVolumeAssignment(String volumeName, String fileSystemId, String server, String glusterVolume,
                               String path, boolean readOnly, DirectoryCreation creation, String failure) {
        this(volumeName, fileSystemId, server, glusterVolume, path, readOnly, creation, failure, "", Owner.NONE);
    }

    /** The POSIX user file operations act as, if the access point names one. */
    public Optional<Owner> posixUser() {
        return owner.equals(Owner.NONE) ? Optional.empty() : Optional.of(owner);
    }

    /** The creation info of {@code path}, if it is to be made when missing. */
    public Optional<DirectoryCreation> creationInfo() {
        return creation.equals(DirectoryCreation.NONE) ? Optional.empty() : Optional.of(creation);
    }

    /** Why the volume cannot be mounted, if it cannot. */
    public Optional<String> failureReason() {
        return failure.isEmpty() ? Optional.empty() : Optional.of(failure);
    }

    /** A volume that cannot be mounted, for {@code reason}. */
    public static EfsVolumeAssignment failed(String volumeName, String fileSystemId, String reason) {
        return new EfsVolumeAssignment(volumeName, fileSystemId, "", "", "/", false, DirectoryCreation.NONE, reason);
    }

    /**
     * An access point's {@code PosixUser}: the user and groups every file operation through it acts as.
     * The secondary groups are kept as given; see the agent's mounts for what of them is enforced.
     */
    public record Owner(long uid, long gid, java.util.List<Long> secondaryGids) {
        /** No POSIX user. */
        public static final Owner NONE = new Owner(-1, -1, java.util.List.of());

        public Owner {
            secondaryGids = secondaryGids == null ? java.util.List.of() : java.util.List.copyOf(secondaryGids);
        }
    }

    /** The owner and POSIX permissions (octal, e.g. {@code 0755}) a missing root directory is made with. */
    public record DirectoryCreation(long ownerUid, long ownerGid, String permissions) {
        /** No creation info: the directory must exist. */
        public static final DirectoryCreation NONE = new DirectoryCreation(0, 0, "");

        public DirectoryCreation {
            Objects.requireNonNull(permissions, "permissions");
        }
    }
}
