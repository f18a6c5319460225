package dev.stevedore.agent.efs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.model.agent.EfsVolumeAssignment;
import dev.stevedore.model.agent.EfsVolumeAssignment.DirectoryCreation;
import dev.stevedore.model.agent.EfsVolumeAssignment.Owner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EfsMountsTest {
    @TempDir
    Path root;

    /** A mount table: a "mounted" directory is one in the set. */
    static final class TableMounts implements HostMounts {
        final Set<Path> mounted = new HashSet<>();
        int mounts;
        String refusal = "";
        boolean forcesOwners = true;
        /** Each owner-forcing view's source and owner, by its mount point. */
        final java.util.Map<Path, String> views = new java.util.HashMap<>();

        @Override
        public void mount(String server, String volume, Path dir) {
            if (!refusal.isEmpty()) {
                throw new MountFailedException(refusal);
            }
            mounts++;
            mounted.add(dir);
        }

        @Override
        public void mountOwnedBy(Path source, Path dir, Owner owner) {
            // A view over an unmounted file system would show the empty directory beneath it.
            assertThat(mounted).anyMatch(source::startsWith);
            mounted.add(dir);
            views.put(dir, source + " as " + owner.uid() + ":" + owner.gid());
        }

        @Override
        public boolean forcesOwners() {
            return forcesOwners;
        }

        @Override
        public void unmount(Path dir) {
            // Nothing is unmounted from under a view.
            assertThat(mounted).noneMatch(m -> !m.equals(dir) && views.containsKey(m) && views.get(m).startsWith(dir + "/"));
            mounted.remove(dir);
        }

        @Override
        public Set<Path> mountedUnder(Path under) {
            return Set.copyOf(mounted.stream().filter(p -> p.startsWith(under)).toList());
        }
    }

    private static EfsVolumeAssignment volume(String path, DirectoryCreation creation) {
        return new EfsVolumeAssignment("shared", "fs-1234", "192.0.2.10", "fs-1234", path, false, creation, "");
    }

    @Test
    void tasksOfOneFileSystemShareOneMountUntilTheLastReleases() {
        TableMounts table = new TableMounts();
        EfsMounts mounts = new EfsMounts(root, table);
        Path first = mounts.acquire("task-a", volume("/", DirectoryCreation.NONE));
        Path second = mounts.acquire("task-b", volume("/", DirectoryCreation.NONE));

        assertThat(first).isEqualTo(second).isEqualTo(root.resolve("mounts/fs-1234"));
        assertThat(table.mounts).isEqualTo(1);
        mounts.releaseAll("task-a");
        assertThat(table.mounted).containsExactly(first);
        mounts.releaseAll("task-b");
        assertThat(table.mounted).isEmpty();
    }

    @Test
    void aRestartedAgentKeepsTheMountsOfTasksThatStillUseThem() {
        TableMounts table = new TableMounts();
        new EfsMounts(root, table).acquire("task-a", volume("/", DirectoryCreation.NONE));

        EfsMounts restarted = new EfsMounts(root, table);
        restarted.sweep();
        assertThat(table.mounted).hasSize(1);
        restarted.releaseAll("task-a");
        assertThat(table.mounted).isEmpty();
    }

    @Test
    void aSweepUnmountsWhatNoTaskUses() {
        TableMounts table = new TableMounts();
        table.mounted.add(root.resolve("mounts/fs-9999"));

        new EfsMounts(root, table).sweep();

        assertThat(table.mounted).isEmpty();
    }

    @Test
    void aMissingRootDirectoryIsMadeWithItsCreationInfo() throws Exception {
        TableMounts table = new TableMounts();
        int uid = (int) Files.getAttribute(root, "unix:uid");
        int gid = (int) Files.getAttribute(root, "unix:gid");
        Path dir = new EfsMounts(root, table).acquire("task-a",
                volume("/apps/one", new DirectoryCreation(uid, gid, "0750")));

        assertThat(dir).isEqualTo(root.resolve("mounts/fs-1234/apps/one")).isDirectory();
        assertThat((int) Files.getAttribute(dir, "unix:mode") & 07777).isEqualTo(0750);
        assertThat((int) Files.getAttribute(root.resolve("mounts/fs-1234/apps"), "unix:mode") & 07777).isEqualTo(0750);
        assertThat((int) Files.getAttribute(dir, "unix:uid")).isEqualTo(uid);
    }

    @Test
    void aMissingRootDirectoryWithoutCreationInfoFailsTheMountAsEfsDoes() {
        EfsMounts mounts = new EfsMounts(root, new TableMounts());

        assertThatThrownBy(() -> mounts.acquire("task-a", volume("/absent", DirectoryCreation.NONE)))
                .isInstanceOf(EfsMounts.MountException.class)
                .hasMessage("ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: "
                        + "stderr: b'mount.nfs4: mounting 127.0.0.1:/absent failed, reason given by server: No such file or directory'");
    }

    @Test
    void aPathCannotClimbAboveTheFileSystemsRoot() {
        Path dir = new EfsMounts(root, new TableMounts()).acquire("task-a", volume("/../..", DirectoryCreation.NONE));

        assertThat(dir).isEqualTo(root.resolve("mounts/fs-1234"));
    }

    @Test
    void aVolumeTheControlPlaneCouldNotResolveFailsWithItsReasonAndMountsNothing() {
        TableMounts table = new TableMounts();
        EfsVolumeAssignment failed = EfsVolumeAssignment.failed("shared", "fs-1234", "the reason");

        assertThatThrownBy(() -> new EfsMounts(root, table).acquire("task-a", failed)).hasMessage("the reason");
        assertThat(table.mounts).isZero();
    }

    @Test
    void aRefusedMountLeavesNoUserBehind() {
        TableMounts table = new TableMounts();
        table.refusal = "Mount failed. Check the log file for more details.";
        EfsMounts mounts = new EfsMounts(root, table);

        assertThatThrownBy(() -> mounts.acquire("task-a", volume("/", DirectoryCreation.NONE)))
                .hasMessageEndingWith("stderr: b'mount.nfs4: Mount failed. Check the log file for more details.'");
        assertThat(mounts.usersOf("fs-1234")).isEmpty();
    }

    private EfsVolumeAssignment throughAccessPoint(String accessPointId) throws Exception {
        int uid = (int) Files.getAttribute(root, "unix:uid");
        int gid = (int) Files.getAttribute(root, "unix:gid");
        return new EfsVolumeAssignment("shared", "fs-1234", "192.0.2.10", "fs-1234", "/apps/one", false,
                new DirectoryCreation(uid, gid, "0750"), "", accessPointId, new Owner(1234, 5678, List.of(7L)));
    }

    @Test
    void anAccessPointsPosixUserIsEnforcedByOneViewPerHostOverItsRoot() throws Exception {
        TableMounts table = new TableMounts();
        EfsMounts mounts = new EfsMounts(root, table);
        Path first = mounts.acquire("task-a", throughAccessPoint("fsap-1"));
        Path second = mounts.acquire("task-b", throughAccessPoint("fsap-1"));
        mounts.acquire("task-c", volume("/", DirectoryCreation.NONE));

        assertThat(first).isEqualTo(second).isEqualTo(root.resolve("views/fs-1234.fsap-1"))
                .isEqualTo(EfsMounts.hostDirectory(root, throughAccessPoint("fsap-1")));
        assertThat(table.views).containsExactly(
                java.util.Map.entry(first, root.resolve("mounts/fs-1234/apps/one") + " as 1234:5678"));
        assertThat(table.mounts).isEqualTo(1);
        mounts.releaseAll("task-a");
        mounts.releaseAll("task-c");
        assertThat(table.mounted).containsExactlyInAnyOrder(first, root.resolve("mounts/fs-1234"));
        mounts.releaseAll("task-b");
        assertThat(table.mounted).isEmpty();
    }

    @Test
    void aRestartedAgentKeepsAViewItsTaskStillUsesAndSweepsOneNoTaskUses() throws Exception {
        TableMounts table = new TableMounts();
        EfsMounts before = new EfsMounts(root, table);
        Path kept = before.acquire("task-a", throughAccessPoint("fsap-1"));
        Path stale = before.acquire("task-b", throughAccessPoint("fsap-2"));
        // A crash between task-b's release and its unmount.
        Files.delete(root.resolve("view-users/fs-1234.fsap-2/task-b"));
        Files.delete(root.resolve("users/fs-1234/task-b"));

        EfsMounts restarted = new EfsMounts(root, table);
        restarted.sweep();
        assertThat(table.mounted).containsExactlyInAnyOrder(kept, root.resolve("mounts/fs-1234")).doesNotContain(stale);
        restarted.releaseAll("task-a");
        assertThat(table.mounted).isEmpty();
    }

    @Test
    void aHostThatCannotForceOwnersFailsAnAccessPointsTaskRatherThanWriteAsAnotherUser() throws Exception {
        TableMounts table = new TableMounts();
        table.forcesOwners = false;
        EfsMounts mounts = new EfsMounts(root, table);

        assertThatThrownBy(() -> mounts.acquire("task-a", throughAccessPoint("fsap-1")))
                .isInstanceOf(EfsMounts.MountException.class)
                .hasMessage("ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: "
                        + "access point fsap-1 acts as POSIX user 1234:5678, which this host cannot enforce: bindfs is not installed");
        assertThat(table.mounted).isEmpty();
        assertThat(mounts.acquire("task-b", volume("/", DirectoryCreation.NONE))).isEqualTo(root.resolve("mounts/fs-1234"));
    }
}
