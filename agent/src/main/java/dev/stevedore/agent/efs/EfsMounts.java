package dev.stevedore.agent.efs;

import dev.stevedore.model.agent.EfsVolumeAssignment;
import dev.stevedore.model.agent.EfsVolumeAssignment.DirectoryCreation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file systems mounted on this host for its tasks: each file system's volume is mounted once, on
 * {@code root/mounts/<fs-id>}, while at least one task uses it, and its tasks' containers bind the
 * directory they were given below it (the volume's root directory or the access point's root), so a
 * task sees nothing above it.
 *
 * <p>Who uses a mount is kept on disk, one empty file per task under {@code root/users/<fs-id>/}, so an
 * agent restart neither unmounts what still-running tasks use nor forgets to unmount what stopped ones
 * used. A user is written before the mount is made: a crash in between leaves a user without a mount,
 * which the next use mounts and the task's release clears; {@link #sweep} unmounts mounts no task uses.
 * Methods are synchronized: tasks of one file system share its mount.
 */
public final class EfsMounts {
    private static final Logger LOG = LoggerFactory.getLogger(EfsMounts.class);

    private final Path root;
    private final Path mounts;
    private final Path users;
    private final HostMounts host;

    public EfsMounts(Path root, HostMounts host) {
        this.root = root;
        this.mounts = root.resolve("mounts");
        this.users = root.resolve("users");
        this.host = Objects.requireNonNull(host, "host");
    }

    /**
     * Makes the volume's file system mounted for {@code taskId} and its directory exist, and returns the
     * directory to bind into the task's containers.
     *
     * @throws MountException in ECS's words for a mount its EFS mount helper would fail
     */
    public synchronized Path acquire(String taskId, EfsVolumeAssignment volume) {
        if (volume.failureReason().isPresent()) {
            throw new MountException(volume.failure());
        }
        String fs = volume.fileSystemId();
        Path dir = mounts.resolve(fs);
        try {
            Files.createDirectories(users.resolve(fs));
            Files.write(users.resolve(fs).resolve(taskId), new byte[0]);
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the mount of " + fs, e);
        }
        if (!host.mountedUnder(mounts).contains(dir)) {
            try {
                host.mount(volume.server(), volume.glusterVolume(), dir);
                LOG.info("mounted {} ({}:/{}) on {}", fs, volume.server(), volume.glusterVolume(), dir);
            } catch (HostMounts.MountFailedException e) {
                release(taskId, fs);
                throw new MountException(EfsVolumeAssignment.MOUNT_FAILED + "b'mount.nfs4: " + e.getMessage() + "'");
            }
        }
        return directory(dir, volume);
    }

    /** The host directory the containers of a task bind for {@code volume}, under the mounts of {@code root}. */
    public static Path hostDirectory(Path root, EfsVolumeAssignment volume) {
        Path mount = root.resolve("mounts").resolve(volume.fileSystemId());
        return mount.resolve(relativePath(volume)).normalize();
    }

    /** The volume's path relative to its file system's root; ".." cannot climb above the root. */
    private static Path relativePath(EfsVolumeAssignment volume) {
        return Path.of("/").relativize(Path.of("/").resolve(volume.path()).normalize());
    }

    /** The directory {@code volume.path()} below the mount, made with its creation info when absent. */
    private Path directory(Path mount, EfsVolumeAssignment volume) {
        Path relative = relativePath(volume);
        Path target = hostDirectory(root, volume);
        if (!target.startsWith(mount)) {
            throw new MountException(EfsVolumeAssignment.MOUNT_FAILED + "b'mount.nfs4: access denied by server while mounting 127.0.0.1:"
                    + volume.path() + "'");
        }
        if (Files.isDirectory(target)) {
            return target;
        }
        if (volume.creationInfo().isEmpty()) {
            throw new MountException(EfsVolumeAssignment.MOUNT_FAILED + "b'mount.nfs4: mounting 127.0.0.1:" + volume.path()
                    + " failed, reason given by server: No such file or directory'");
        }
        DirectoryCreation creation = volume.creation();
        Path at = mount;
        for (Path part : relative) {
            at = at.resolve(part);
            if (!Files.isDirectory(at)) {
                make(at, creation);
            }
        }
        return target;
    }

    private static void make(Path dir, DirectoryCreation creation) {
        try {
            Files.createDirectory(dir);
            Files.setAttribute(dir, "unix:uid", (int) creation.ownerUid());
            Files.setAttribute(dir, "unix:gid", (int) creation.ownerGid());
            // After the owner: changing the owner clears set-id bits the mode may carry.
            Files.setAttribute(dir, "unix:mode", Integer.parseInt(creation.permissions(), 8));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // Another task of another host made it meanwhile: theirs stands.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + dir, e);
        }
    }

    /** Ends {@code taskId}'s use of every file system it used; a mount no task uses any more is unmounted. */
    public synchronized void releaseAll(String taskId) {
        if (!Files.isDirectory(users)) {
            return;
        }
        for (Path fs : list(users)) {
            if (Files.exists(fs.resolve(taskId))) {
                release(taskId, fs.getFileName().toString());
            }
        }
    }

    private void release(String taskId, String fs) {
        try {
            Files.deleteIfExists(users.resolve(fs).resolve(taskId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the release of " + fs, e);
        }
        unmountIfUnused(fs);
    }

    /** Unmounts every mount no task uses: those a crash left between a release and its unmount. */
    public synchronized void sweep() {
        for (Path dir : host.mountedUnder(mounts)) {
            if (dir.getParent().equals(mounts)) {
                unmountIfUnused(dir.getFileName().toString());
            }
        }
    }

    /** The tasks using {@code fs}'s mount, by id. */
    synchronized Set<String> usersOf(String fs) {
        Path dir = users.resolve(fs);
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        return Set.copyOf(list(dir).stream().map(p -> p.getFileName().toString()).toList());
    }

    private void unmountIfUnused(String fs) {
        if (!usersOf(fs).isEmpty()) {
            return;
        }
        Path dir = mounts.resolve(fs);
        if (host.mountedUnder(mounts).contains(dir)) {
            host.unmount(dir);
            LOG.info("unmounted {} from {}: no task uses it", fs, dir);
        }
    }

    private static java.util.List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** A volume that cannot be mounted; the message is the task's stopped reason, in ECS's words. */
    public static final class MountException extends RuntimeException {
        public MountException(String reason) {
            super(reason);
        }
    }
}
