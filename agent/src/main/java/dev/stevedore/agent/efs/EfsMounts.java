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
 * <p>An access point with a POSIX user is seen through a view of its root directory instead, mounted
 * once on {@code root/views/<fs-id>.<fsap-id>} over the file system's mount ({@link HostMounts#mountOwnedBy}):
 * what a task creates there belongs to that user whatever user its containers run as, which is what EFS
 * does for every operation through the access point. A host that cannot make such views fails the task
 * rather than let it write as another user.
 *
 * <p>Who uses a mount is kept on disk, one empty file per task under {@code root/users/<fs-id>/} (and
 * {@code root/view-users/<fs-id>.<fsap-id>/} for a view; its tasks use the file system's mount too), so
 * an agent restart neither unmounts what still-running tasks use nor forgets to unmount what stopped ones
 * used. A user is written before the mount is made: a crash in between leaves a user without a mount,
 * which the next use mounts and the task's release clears; {@link #sweep} unmounts mounts no task uses.
 * Methods are synchronized: tasks of one file system share its mount.
 */
public final class EfsMounts {
    private static final Logger LOG = LoggerFactory.getLogger(EfsMounts.class);

    private final Path root;
    private final Path mounts;
    private final Path users;
    private final Path views;
    private final Path viewUsers;
    private final HostMounts host;

    public EfsMounts(Path root, HostMounts host) {
        this.root = root;
        this.mounts = root.resolve("mounts");
        this.users = root.resolve("users");
        this.views = root.resolve("views");
        this.viewUsers = root.resolve("view-users");
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
        if (volume.posixUser().isPresent() && !host.forcesOwners()) {
            throw new MountException(EfsVolumeAssignment.MOUNT_FAILED + "access point " + volume.accessPointId()
                    + " acts as POSIX user " + volume.owner().uid() + ":" + volume.owner().gid()
                    + ", which this host cannot enforce: bindfs is not installed");
        }
        String fs = volume.fileSystemId();
        Path dir = mounts.resolve(fs);
        if (useNeedsMount(users.resolve(fs), taskId, dir)) {
            try {
                host.mount(volume.server(), volume.glusterVolume(), dir);
                LOG.info("mounted {} ({}:/{}) on {}", fs, volume.server(), volume.glusterVolume(), dir);
            } catch (HostMounts.MountFailedException e) {
                release(taskId, fs);
                throw new MountException(EfsVolumeAssignment.MOUNT_FAILED + "b'mount.nfs4: " + e.getMessage() + "'");
            }
        }
        Path directory = directory(dir, volume);
        return volume.posixUser().isPresent() ? view(taskId, directory, volume) : directory;
    }

    /** The access point's view of {@code directory}, mounted for {@code taskId} if it is not yet. */
    private Path view(String taskId, Path directory, EfsVolumeAssignment volume) {
        String name = viewName(volume);
        Path view = views.resolve(name);
        if (useNeedsMount(viewUsers.resolve(name), taskId, view)) {
            try {
                host.mountOwnedBy(directory, view, volume.owner());
                LOG.info("mounted {} as {}:{} on {}", directory, volume.owner().uid(), volume.owner().gid(), view);
            } catch (HostMounts.MountFailedException e) {
                releaseView(taskId, name);
                throw new MountException(EfsVolumeAssignment.MOUNT_FAILED + "b'mount.nfs4: " + e.getMessage() + "'");
            }
        }
        return view;
    }

    /** Records {@code taskId} as a user of the mount on {@code point}, before it is made; whether it is still to be made. */
    private boolean useNeedsMount(Path usersDir, String taskId, Path point) {
        try {
            Files.createDirectories(usersDir);
            Files.write(usersDir.resolve(taskId), new byte[0]);
            Files.createDirectories(point);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the use of " + point, e);
        }
        return !host.mountedUnder(point.getParent()).contains(point);
    }

    private static String viewName(EfsVolumeAssignment volume) {
        return volume.fileSystemId() + "." + volume.accessPointId();
    }

    /** The host directory the containers of a task bind for {@code volume}, under the mounts of {@code root}. */
    public static Path hostDirectory(Path root, EfsVolumeAssignment volume) {
        if (volume.posixUser().isPresent()) {
            return root.resolve("views").resolve(viewName(volume));
        }
        return fileSystemDirectory(root, volume);
    }

    /** {@code volume.path()} in its file system's mount under {@code root}. */
    private static Path fileSystemDirectory(Path root, EfsVolumeAssignment volume) {
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
        Path target = fileSystemDirectory(root, volume);
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
        // Views first: each sits on its file system's mount.
        if (Files.isDirectory(viewUsers)) {
            for (Path view : list(viewUsers)) {
                if (Files.exists(view.resolve(taskId))) {
                    releaseView(taskId, view.getFileName().toString());
                }
            }
        }
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

    private void releaseView(String taskId, String name) {
        try {
            Files.deleteIfExists(viewUsers.resolve(name).resolve(taskId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the release of " + name, e);
        }
        unmountIfUnused(viewUsers.resolve(name), views.resolve(name));
    }

    /** Unmounts every mount no task uses: those a crash left between a release and its unmount. */
    public synchronized void sweep() {
        for (Path dir : host.mountedUnder(views)) {
            if (dir.getParent().equals(views)) {
                unmountIfUnused(viewUsers.resolve(dir.getFileName()), dir);
            }
        }
        for (Path dir : host.mountedUnder(mounts)) {
            if (dir.getParent().equals(mounts)) {
                unmountIfUnused(dir.getFileName().toString());
            }
        }
    }

    /** The tasks using {@code fs}'s mount, by id. */
    synchronized Set<String> usersOf(String fs) {
        return usersIn(users.resolve(fs));
    }

    private static Set<String> usersIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        return Set.copyOf(list(dir).stream().map(p -> p.getFileName().toString()).toList());
    }

    private void unmountIfUnused(String fs) {
        unmountIfUnused(users.resolve(fs), mounts.resolve(fs));
    }

    private void unmountIfUnused(Path usersDir, Path dir) {
        if (!usersIn(usersDir).isEmpty()) {
            return;
        }
        if (host.mountedUnder(dir.getParent()).contains(dir)) {
            host.unmount(dir);
            LOG.info("unmounted {}: no task uses it", dir);
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
