package dev.stevedore.agent.efs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.stevedore.model.agent.EfsVolumeAssignment.Owner;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The host's FUSE mounts for file systems: Gluster volumes mounted with Gluster's client ({@code mount -t
 * glusterfs}), and access points' owner-forcing views over them made with {@code bindfs}. Both need root
 * and {@code /dev/fuse}; their processes outlive the agent, so mounts survive an agent restart.
 */
public final class FuseMounts implements HostMounts {
    private static final long TIMEOUT_SECONDS = 60;
    private static final Path MOUNT_INFO = Path.of("/proc/self/mountinfo");
    private static final List<Path> BINDFS = List.of(Path.of("/usr/bin/bindfs"), Path.of("/usr/local/bin/bindfs"));

    /** Whether this host can make such mounts: the FUSE device and Gluster's mount helper are there. */
    public static boolean available() {
        return Files.exists(Path.of("/dev/fuse"))
                && (Files.isExecutable(Path.of("/sbin/mount.glusterfs")) || Files.isExecutable(Path.of("/usr/sbin/mount.glusterfs")));
    }

    @Override
    public void mount(String server, String volume, Path dir) {
        Result result = run(List.of("mount", "-t", "glusterfs", server + ":/" + volume, dir.toString()));
        if (result.exit() != 0) {
            throw new MountFailedException(result.output().isBlank()
                    ? "mount.glusterfs exited with " + result.exit() : result.output().strip());
        }
    }

    /** Whether {@code bindfs} is installed, for access points' POSIX users. */
    public static boolean bindfsAvailable() {
        return BINDFS.stream().anyMatch(Files::isExecutable);
    }

    @Override
    public boolean forcesOwners() {
        return bindfsAvailable();
    }

    /**
     * A bindfs view: new files and directories are chowned to the owner (bindfs runs as root, so it can),
     * and chown/chgrp are refused, as they are to a non-root NFS client. Permission checks stay the
     * kernel's, against the caller's own ids.
     */
    @Override
    public void mountOwnedBy(Path source, Path dir, Owner owner) {
        String bindfs = BINDFS.stream().filter(Files::isExecutable).findFirst().map(Path::toString).orElse("bindfs");
        Result result = run(List.of(bindfs, "--create-for-user=" + owner.uid(), "--create-for-group=" + owner.gid(),
                "--chown-deny", "--chgrp-deny", source.toString(), dir.toString()));
        if (result.exit() != 0) {
            throw new MountFailedException(result.output().isBlank()
                    ? "bindfs exited with " + result.exit() : result.output().strip());
        }
    }

    @Override
    public void unmount(Path dir) {
        if (run(List.of("umount", dir.toString())).exit() != 0) {
            // Busy (a container still being torn down): detached now, gone when no one holds it.
            run(List.of("umount", "-l", dir.toString()));
        }
    }

    @Override
    public Set<Path> mountedUnder(Path root) {
        Set<Path> out = new HashSet<>();
        try {
            for (String line : Files.readAllLines(MOUNT_INFO, StandardCharsets.UTF_8)) {
                // Fields: id parent major:minor root mount-point options ... ; the mount point is the fifth.
                String[] fields = line.split(" ");
                if (fields.length > 4) {
                    Path point = Path.of(fields[4].replace("\\040", " "));
                    if (point.startsWith(root) && !point.equals(root)) {
                        out.add(point);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MOUNT_INFO, e);
        }
        return out;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted while running " + command.get(0));
        }
    }
}
