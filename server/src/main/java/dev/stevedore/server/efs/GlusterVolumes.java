package dev.stevedore.server.efs;

import dev.stevedore.control.efs.Volumes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * File system volumes as GlusterFS volumes, managed with the {@code gluster} command line: each a
 * replica-3 volume whose three bricks are directories under {@code bricksDir} on this host. Gluster
 * refuses loopback addresses as brick hosts, so the bricks are addressed by one of the host's other
 * IPv4 addresses ({@link #hostAddress()}). One host holding all three replicas protects against a
 * brick's loss, not the host's: spreading bricks over hosts in different zones is the next step.
 *
 * <p>{@code glusterd} is supervised: before each command the daemon is asked for its volumes, and
 * started when it does not answer; so are a started volume's bricks, each time it is made sure of. Volumes are named by their file system's id; those whose bricks
 * are not under this instance's bricks directory belong to someone else and are left alone.
 */
public final class GlusterVolumes implements Volumes {
    private static final Logger LOG = LoggerFactory.getLogger(GlusterVolumes.class);
    private static final String GLUSTER = "gluster";
    private static final String GLUSTERD = "glusterd";
    private static final int REPLICAS = 3;

    private final Path bricksDir;
    private final String host;

    public GlusterVolumes(Path bricksDir, String host) {
        this.bricksDir = bricksDir;
        this.host = host;
    }

    /** Volumes under {@code dataDir/efs/bricks}, on this host's own address ({@link StorageHostAddress}). */
    public static GlusterVolumes inDataDir(Path dataDir) {
        return new GlusterVolumes(dataDir.resolve("efs").resolve("bricks"), hostAddress());
    }

    /** The address bricks are given: see {@link StorageHostAddress}. */
    static String hostAddress() {
        return StorageHostAddress.ofThisHost();
    }

    @Override
    public String server() {
        return host;
    }

    @Override
    public void ensureStarted(String name) {
        requireDaemon();
        Optional<String> status = status(name);
        if (status.isEmpty()) {
            create(name);
            status = Optional.of("Created");
        }
        if (!status.get().equals("Started")) {
            GlusterCommand.Result started = gluster("volume", "start", name);
            if (!started.ok() && !status(name).filter("Started"::equals).isPresent()) {
                throw new IllegalStateException("gluster volume start " + name + " failed: " + started.output());
            }
        } else {
            startDownBricks(name);
        }
    }

    /**
     * Starts again the bricks of a started volume whose processes are gone (crashed, killed): glusterd
     * starts bricks only when it starts itself or is told to, and a volume missing one replica is one
     * more loss away from refusing writes. The self-heal daemon then copies to it what it missed.
     */
    private void startDownBricks(String name) {
        GlusterCommand.Result status = gluster("volume", "status", name, "--xml");
        if (!status.ok()) {
            throw new IllegalStateException("gluster volume status " + name + " failed: " + status.output());
        }
        List<String> down = downBricks(status.output(), bricksDir.resolve(name));
        if (down.isEmpty()) {
            return;
        }
        LOG.warn("bricks {} of Gluster volume {} are down; starting them again", down, name);
        // "force" starts the missing bricks of a started volume and leaves the running ones be.
        GlusterCommand.Result started = gluster("volume", "start", name, "force");
        if (!started.ok()) {
            throw new IllegalStateException("gluster volume start " + name + " force failed: " + started.output());
        }
    }

    /**
     * The paths of the bricks under {@code volumeDir} that {@code gluster volume status --xml} reports
     * offline: a node's {@code status} is 1 while glusterd is connected to its brick process. Nodes not
     * under the directory (the self-heal daemon's, another host's bricks) are not looked at.
     */
    static List<String> downBricks(String statusXml, Path volumeDir) {
        List<String> down = new ArrayList<>();
        for (String node : statusXml.split("<node>")) {
            Optional<String> path = element(node, "path");
            if (path.isPresent() && Path.of(path.get()).startsWith(volumeDir)
                    && !element(node, "status").filter("1"::equals).isPresent()) {
                down.add(path.get());
            }
        }
        return down;
    }

    private static Optional<String> element(String xml, String name) {
        int start = xml.indexOf("<" + name + ">");
        int end = xml.indexOf("</" + name + ">");
        if (start < 0 || end < start) {
            return Optional.empty();
        }
        return Optional.of(xml.substring(start + name.length() + 2, end).strip());
    }

    private void create(String name) {
        List<String> command = new ArrayList<>(List.of(GLUSTER, "--mode=script", "volume", "create", name,
                "replica", String.valueOf(REPLICAS)));
        for (int i = 1; i <= REPLICAS; i++) {
            Path brick = brick(name, i);
            try {
                Files.createDirectories(brick);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make brick " + brick, e);
            }
            command.add(host + ":" + brick);
        }
        // "force": the replicas share one host, which Gluster otherwise refuses as unsafe.
        command.add("force");
        GlusterCommand.Result created = GlusterCommand.run(command);
        if (!created.ok()) {
            // Nothing half-made stays: a volume the create left behind and the brick directories go.
            remove(name);
            throw new IllegalStateException("gluster volume create " + name + " failed: " + created.output());
        }
        LOG.info("created Gluster volume {} ({} replicas on {})", name, REPLICAS, host);
    }

    @Override
    public void remove(String name) {
        requireDaemon();
        Optional<String> status = status(name);
        if (status.isPresent()) {
            if (status.get().equals("Started")) {
                GlusterCommand.Result stopped = gluster("volume", "stop", name, "force");
                if (!stopped.ok()) {
                    throw new IllegalStateException("gluster volume stop " + name + " failed: " + stopped.output());
                }
            }
            GlusterCommand.Result deleted = gluster("volume", "delete", name);
            if (!deleted.ok()) {
                throw new IllegalStateException("gluster volume delete " + name + " failed: " + deleted.output());
            }
            LOG.info("deleted Gluster volume {}", name);
        }
        deleteTree(bricksDir.resolve(name));
    }

    /**
     * The volumes whose bricks are under this instance's bricks directory: another server's are not its
     * own. With no brick directory there is no volume of its own, and glusterd is not even asked (nor
     * started): a server that never made a file system leaves Gluster alone.
     */
    @Override
    public Set<String> names() {
        if (!hasBricks()) {
            return Set.of();
        }
        requireDaemon();
        GlusterCommand.Result info = gluster("volume", "info", "all");
        if (!info.ok()) {
            throw new IllegalStateException("gluster volume info failed: " + info.output());
        }
        Set<String> names = new TreeSet<>();
        String volume = "";
        for (String line : info.output().lines().map(String::strip).toList()) {
            if (line.startsWith("Volume Name:")) {
                volume = line.substring("Volume Name:".length()).strip();
            } else if (line.startsWith("Brick1:") && line.contains(":" + bricksDir.resolve(volume) + "/")) {
                names.add(volume);
            }
        }
        return names;
    }

    @Override
    public long usedBytes(String name) {
        // One replica's data; Gluster's own bookkeeping under .glusterfs is not the file system's.
        GlusterCommand.Result du = GlusterCommand.run(List.of("du", "-sb", "--exclude=.glusterfs",
                brick(name, 1).toString()));
        if (!du.ok()) {
            throw new IllegalStateException("du of " + brick(name, 1) + " failed: " + du.output());
        }
        long bytes = Long.parseLong(du.output().split("\\s+", 2)[0]);
        // du counts the brick directory itself, which holds no data of the file system.
        return Math.max(0, bytes - 4096);
    }

    private boolean hasBricks() {
        if (!Files.isDirectory(bricksDir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(bricksDir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + bricksDir, e);
        }
    }

    private Path brick(String name, int replica) {
        return bricksDir.resolve(name).resolve("brick" + replica);
    }

    /** The volume's status ({@code Created}, {@code Started}, {@code Stopped}); empty when there is none. */
    private Optional<String> status(String name) {
        GlusterCommand.Result info = gluster("volume", "info", name);
        if (!info.ok()) {
            return Optional.empty();
        }
        return info.output().lines().map(String::strip).filter(l -> l.startsWith("Status:"))
                .map(l -> l.substring("Status:".length()).strip()).findFirst();
    }

    // One caller at a time: the controller's workers and its start-up sweep would otherwise each start one.
    private synchronized void requireDaemon() {
        if (gluster("volume", "list").ok()) {
            return;
        }
        LOG.info("glusterd does not answer; starting it");
        GlusterCommand.Result started = GlusterCommand.run(List.of(GLUSTERD));
        if (!started.ok()) {
            throw new IllegalStateException("cannot start glusterd: " + started.output());
        }
        for (int i = 0; i < 50; i++) {
            if (gluster("volume", "list").ok()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for glusterd", e);
            }
        }
        throw new IllegalStateException("glusterd was started but does not answer");
    }

    private static GlusterCommand.Result gluster(String... args) {
        List<String> command = new ArrayList<>(List.of(GLUSTER, "--mode=script"));
        command.addAll(List.of(args));
        return GlusterCommand.run(command);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
