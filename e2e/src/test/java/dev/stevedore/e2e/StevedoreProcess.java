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
 * Stevedore started the way users start it, as its own JVM from the runnable jar with the JVM options
 * {@code bin/stevedore} gives it ({@link StevedoreJvm}), so tests can
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
     * The control plane only, with more options for {@code stevedore up} after the fixed ones, e.g.
     * {@code --task-healthy-after 2}.
     */
    static StevedoreProcess start(Path dataDir, int port, String... upOptions) {
        List<String> options = new java.util.ArrayList<>(List.of("--no-agent"));
        options.addAll(List.of(upOptions));
        return start(dataDir, port, options);
    }

    /** The control plane only: agents, if any, are started by the test. */
    static StevedoreProcess start(Path dataDir, int port) {
        return start(dataDir, port, List.of("--no-agent"));
    }

    /** {@code up} with more options ({@code --dev}, {@code --no-agent}, ...). */
    static StevedoreProcess start(Path dataDir, int port, List<String> options) {
        return start(dataDir, port, options, java.util.Map.of());
    }

    /** {@code up} with more options and more environment variables (such as {@code DOCKER_HOST}). */
    static StevedoreProcess start(Path dataDir, int port, List<String> options, java.util.Map<String, String> environment) {
        List<String> command = new java.util.ArrayList<>(StevedoreJvm.command("up"));
        command.addAll(List.of("--port", Integer.toString(port), "--data-dir", dataDir.toString(),
                "--account-id", InProcessStevedore.ACCOUNT, "--region", InProcessStevedore.REGION));
        if (!options.contains("--registry-port")) {
            // The registry's default port is fixed; test servers that run side by side do without it.
            command.add("--no-registry");
        }
        command.addAll(options);
        ProcessBuilder pb = new ProcessBuilder(command);
        withCredentials(pb);
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        // Appended, so a restart on the same data directory and port keeps the log of the run before it.
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log(dataDir, port).toFile()));
        try {
            StevedoreProcess p = new StevedoreProcess(dataDir, port, pb.start());
            p.awaitReady(Duration.ofSeconds(60));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path log(Path dataDir, int port) {
        return dataDir.resolveSibling(dataDir.getFileName() + "-" + port + ".log");
    }

    /** What the server has printed so far (standard output and error; earlier runs on this data directory and port too). */
    String output() {
        try {
            return Files.readString(log(dataDir, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs another {@code stevedore} command (such as {@code reset}, or {@code token create}: a name of
     * several words is a subcommand) against this server; returns its output.
     */
    CommandResult command(String name, String... args) throws IOException, InterruptedException {
        String[] words = name.split(" ");
        List<String> command = new java.util.ArrayList<>(StevedoreJvm.command(words[0]));
        command.addAll(List.of(words).subList(1, words.length));
        command.addAll(List.of("--port", Integer.toString(port), "--data-dir", dataDir.toString(),
                "--region", InProcessStevedore.REGION));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        withCredentials(pb);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("stevedore " + name + " did not finish");
        }
        return new CommandResult(p.exitValue(), out);
    }

    /** How a command ended and what it printed. */
    record CommandResult(int exitCode, String output) {
    }

    private static void withCredentials(ProcessBuilder pb) {
        pb.environment().put("STEVEDORE_ACCESS_KEY_ID", InProcessStevedore.ACCESS_KEY);
        pb.environment().put("STEVEDORE_SECRET_ACCESS_KEY", InProcessStevedore.SECRET_KEY);
    }

    EcsClient ecs() {
        return ecsIn(InProcessStevedore.REGION);
    }

    /** The EC2 (VPC) API of the server, with the same credentials. */
    software.amazon.awssdk.services.ec2.Ec2Client ec2() {
        return configured(software.amazon.awssdk.services.ec2.Ec2Client.builder(), InProcessStevedore.REGION);
    }

    /** The CloudWatch Logs API of the server, with the same credentials. */
    software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient logs() {
        return configured(software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient.builder(),
                InProcessStevedore.REGION);
    }

    /** The ELBv2 API of the server (the Query protocol), with the same credentials. */
    software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client elbv2() {
        return configured(software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client.builder(),
                InProcessStevedore.REGION);
    }

    EcsClient ecsIn(String region) {
        return configured(EcsClient.builder(), region);
    }

    /** A client of this server signing for {@code region} with the test's keys, retrying as the SDK's standard mode does. */
    private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>, C> C configured(
            B builder, String region) {
        return builder
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.of(region))
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
