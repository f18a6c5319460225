package dev.stevedore.e2e;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stevedore started the way users start it, as its own JVM from the runnable jar, so tests can
 * kill it with SIGKILL.
 */
final class StevedoreProcess implements AutoCloseable {
    final Path dataDir;
    final int port;
    final Process process;

    private StevedoreProcess(Path dataDir, int port, Process process) {
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("stevedore.jar", "../server/target/stevedore.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("runnable jar not built: " + jar.toAbsolutePath());
        }
        return jar;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The control plane only: agents, if any, are started by the test. {@code upOptions} go to
     * {@code stevedore up} after the fixed ones, e.g. {@code --task-healthy-after 2}.
     */
    static StevedoreProcess start(Path dataDir, int port, String... upOptions) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar().toString(), "up", "--no-agent",
                "--port", Integer.toString(port), "--data-dir", dataDir.toString(),
                "--account-id", InProcessStevedore.ACCOUNT, "--region", InProcessStevedore.REGION));
        command.addAll(List.of(upOptions));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("STEVEDORE_ACCESS_KEY_ID", InProcessStevedore.ACCESS_KEY);
        pb.environment().put("STEVEDORE_SECRET_ACCESS_KEY", InProcessStevedore.SECRET_KEY);
        pb.redirectErrorStream(true);
        // Appended, so a restart on the same data directory and port keeps the log of the run before it.
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(
                dataDir.resolveSibling(dataDir.getFileName() + "-" + port + ".log").toFile()));
        try {
            StevedoreProcess p = new StevedoreProcess(dataDir, port, pb.start());
            p.awaitReady(Duration.ofSeconds(60));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    EcsClient ecs() {
        return EcsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.of(InProcessStevedore.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(InProcessStevedore.ACCESS_KEY, InProcessStevedore.SECRET_KEY)))
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).apiCallTimeout(Duration.ofSeconds(10)))
                .build();
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        try (EcsClient ecs = ecs()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("stevedore exited with " + process.exitValue());
                }
                try {
                    ecs.listClusters();
                    return;
                } catch (RuntimeException notYet) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("stevedore not ready after " + timeout, notYet);
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
