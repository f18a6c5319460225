package dev.stevedore.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/stevedore up --no-agent} (or with its local agent) in a process of its own, on a free port with a fresh data
 * directory and the benchmark's root keys, so that its memory is its own to measure. It can be
 * killed with {@code kill -9} and started again on the same port and data.
 */
public final class UpServer implements AutoCloseable {
    public static final String KEY = "AKIABENCHMARK0000001";
    public static final String SECRET = "bench/secret/key/0000000000000000000000";

    private final List<String> command;
    private final Path dataDir;
    private final int port;
    private Process process;

    private UpServer(List<String> command, Path dataDir, int port) {
        this.command = command;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Starts a server and waits until it says it is up (at most a minute). */
    public static UpServer start(Path root, String name, List<String> options) throws IOException, InterruptedException {
        List<String> withoutAgent = new ArrayList<>(List.of("--no-agent"));
        withoutAgent.addAll(options);
        return startWith(root, name, withoutAgent);
    }

    /** Starts a server with its local agent on this machine's Docker engine, as {@code up} does by default. */
    public static UpServer startWithAgent(Path root, String name, List<String> options)
            throws IOException, InterruptedException {
        return startWith(root, name, options);
    }

    private static UpServer startWith(Path root, String name, List<String> options) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dataDir = Files.createTempDirectory(name);
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/stevedore").toString(), "up",
                "--port", "" + port, "--data-dir", dataDir.toString()));
        command.addAll(options);
        UpServer server = new UpServer(command, dataDir, port);
        server.launch();
        return server;
    }

    /** Kills the process with SIGKILL and waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Starts the server again on the same port and data directory; returns once it is up. */
    public void startAgain() throws IOException, InterruptedException {
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        Path log = dataDir.resolve("server.log");
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("STEVEDORE_ACCESS_KEY_ID", KEY);
        pb.environment().put("STEVEDORE_SECRET_ACCESS_KEY", SECRET);
        process = pb.start();
        for (int i = 0; i < 600 && !Files.readString(log).contains("Stevedore is up"); i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server died: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        if (!Files.readString(log).contains("Stevedore is up")) {
            process.destroyForcibly();
            throw new IllegalStateException("server did not come up within a minute; see " + log);
        }
    }

    /** The server's process id (the JVM's: {@code bin/stevedore} execs it). */
    public long pid() {
        return process.pid();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The process's peak resident set (VmHWM), in KiB. */
    public long peakRssKib() throws IOException {
        return status("VmHWM:");
    }

    /** The process's resident set now (VmRSS), in KiB. */
    public long rssKib() throws IOException {
        return status("VmRSS:");
    }

    private long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
