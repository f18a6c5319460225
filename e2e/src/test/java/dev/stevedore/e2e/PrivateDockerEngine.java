package dev.stevedore.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Docker engine of the test's own (Debian's {@code /usr/sbin/dockerd} with its own socket, data
 * root, exec root and bridge), so that a test can kill and restart it under an agent without
 * touching the machine's engine, which other tests use at the same time. It has the test image
 * (loaded from the machine's engine), no iptables rules of its own, and a bridge interface of its
 * own: {@code --bridge=none} would not do, because dockerd then deletes {@code docker0}, the
 * machine engine's bridge.
 */
final class PrivateDockerEngine implements AutoCloseable {
    private static final String DOCKERD = "/usr/sbin/dockerd";
    private static final String DOCKER = "/usr/bin/docker";

    private final Path root;
    private final String bridge;
    private final boolean liveRestore;
    private Process daemon;

    private PrivateDockerEngine(Path root, String bridge, boolean liveRestore) {
        this.root = root;
        this.bridge = bridge;
        this.liveRestore = liveRestore;
    }

    /**
     * Starts an engine in {@code root} with the image {@code image} loaded.
     *
     * @param liveRestore whether containers outlive the daemon ({@code --live-restore})
     */
    static PrivateDockerEngine start(Path root, boolean liveRestore, String image) {
        // Interface names are at most 15 characters.
        String bridge = "stvf" + Long.toHexString(System.nanoTime()).substring(0, 8);
        PrivateDockerEngine engine = new PrivateDockerEngine(root, bridge, liveRestore);
        try {
            Files.createDirectories(root);
            run("ip", "link", "add", bridge, "type", "bridge");
            run("ip", "addr", "add", "100.127.251.1/24", "dev", bridge);
            engine.startDaemon();
            run("sh", "-c", DOCKER + " save " + image + " | " + DOCKER + " -H " + engine.host() + " load");
            return engine;
        } catch (IOException e) {
            engine.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** Where the engine listens, as {@code unix:///…}. */
    URI host() {
        return URI.create("unix://" + socket());
    }

    Path socket() {
        return root.resolve("docker.sock");
    }

    /** Starts the daemon and returns once it answers. */
    void startDaemon() {
        List<String> command = new ArrayList<>(List.of(DOCKERD, "-H", host().toString(),
                "--data-root", root.resolve("data").toString(), "--exec-root", root.resolve("exec").toString(),
                "--pidfile", root.resolve("docker.pid").toString(), "--bridge", bridge, "--iptables=false",
                "--ip-masq=false", "--userland-proxy=false"));
        if (liveRestore) {
            command.add("--live-restore");
        }
        try {
            daemon = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("dockerd.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!docker("version", "--format", "{{.Server.Version}}").ok()) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the private dockerd did not start; see " + root.resolve("dockerd.log"));
            }
            sleep(Duration.ofMillis(200));
        }
    }

    /**
     * SIGKILL of the daemon and of the containerd it started, as in a crash of both: they get no
     * chance to stop the containers (with live restore their shims keep them running). The dead
     * containerd's pid file goes too: until the process is reaped its pid still answers, and the
     * next daemon would wait for it instead of starting its own.
     */
    void kill() {
        Optional<ProcessHandle> containerd = containerdPid().flatMap(ProcessHandle::of);
        daemon.toHandle().destroyForcibly();
        containerd.ifPresent(ProcessHandle::destroyForcibly);
        try {
            daemon.waitFor();
            if (containerd.isPresent()) {
                containerd.get().onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // A zombie nobody reaped yet: it is dead all the same.
        }
        try {
            Files.deleteIfExists(root.resolve("exec/containerd/containerd.pid"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Long> containerdPid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(root.resolve("exec/containerd/containerd.pid")).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The host process id of a running container's main process. */
    long pidOf(String container) {
        return Long.parseLong(docker("inspect", "-f", "{{.State.Pid}}", container).requireOk().strip());
    }

    /** Ids of the containers (running or not) carrying the label. */
    List<String> containers(String label, String value) {
        return docker("ps", "-aq", "--no-trunc", "--filter", "label=" + label + "=" + value).requireOk().lines()
                .filter(l -> !l.isBlank()).map(String::strip).toList();
    }

    boolean isRunning(String container) {
        return docker("inspect", "-f", "{{.State.Running}}", container).requireOk().strip().equals("true");
    }

    Result docker(String... args) {
        List<String> command = new ArrayList<>(List.of(DOCKER, "-H", host().toString()));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /** Removes every container, stops the daemon, and removes its files and its bridge. */
    @Override
    public void close() {
        if (daemon != null && daemon.isAlive()) {
            docker("ps", "-aq").output().lines().filter(l -> !l.isBlank()).forEach(id -> docker("rm", "-f", id.strip()));
            daemon.destroy();
            try {
                if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Containers a daemon that died left to their shims (live restore) go with the shims.
        String address = root.resolve("exec").toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().filter(c -> c.contains("containerd-shim") && c.contains(address)).isPresent())
                .forEach(shim -> {
                    shim.descendants().forEach(ProcessHandle::destroyForcibly);
                    shim.destroyForcibly();
                });
        // dockerd mounts its data root: unmount before deleting.
        unmountUnder(root);
        run("ip", "link", "del", bridge);
        deleteTree(root);
    }

    /** Deletes a directory and everything in it, as far as it can. */
    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Left for the machine's temporary files to take care of.
        }
    }

    private static void unmountUnder(Path root) {
        String prefix = root.toAbsolutePath().toString();
        List<String> mounts;
        try {
            mounts = Files.readAllLines(Path.of("/proc/self/mounts")).stream().map(l -> l.split(" ")[1])
                    .filter(m -> m.equals(prefix) || m.startsWith(prefix + "/"))
                    .sorted(Comparator.comparing(String::length).reversed()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        mounts.forEach(m -> run("umount", "-l", m));
    }

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        String requireOk() {
            if (!ok()) {
                throw new IllegalStateException("exit " + exitCode + ": " + output);
            }
            return output;
        }
    }

    private static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
