package dev.stevedore.agent.efs;

import dev.stevedore.model.agent.EfsVolumeAssignment.Owner;
import java.nio.file.Path;
import java.util.Set;

/** The host's mount table, for the file systems' FUSE mounts and the owner-forcing views over them. */
public interface HostMounts {

    /**
     * Mounts {@code volume} served by {@code server} on {@code dir}.
     *
     * @throws MountFailedException with the mount command's own words when it fails
     */
    void mount(String server, String volume, Path dir);

    /**
     * Mounts a view of {@code source} on {@code dir} through which what is created belongs to {@code owner}
     * and ownership cannot be given away, whoever the caller is.
     *
     * @throws MountFailedException with the mount command's own words when it fails
     */
    void mountOwnedBy(Path source, Path dir, Owner owner);

    /** Whether this host can make {@link #mountOwnedBy} views. */
    boolean forcesOwners();

    /** Unmounts {@code dir}; a mount still in use is detached lazily, so it goes when its last user does. */
    void unmount(Path dir);

    /** The directories under {@code root} that have a file system mounted on them now. */
    Set<Path> mountedUnder(Path root);

    /** A mount that could not be made, with what the mount command said. */
    final class MountFailedException extends RuntimeException {
        public MountFailedException(String message) {
            super(message);
        }
    }
}
