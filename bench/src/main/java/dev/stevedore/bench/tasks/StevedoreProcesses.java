package dev.stevedore.bench.tasks;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The control plane and agents as separate JVMs started from the runnable jar, the way an operator
 * runs them ({@code stevedore up --no-agent}, {@code stevedore agent}), so each has its own heap,
 * threads and resident memory, and the agent's RSS is the agent's alone.
 */
final class StevedoreProcesses {
    static final String REGION = "us-east-1";
    static final String ACCOUNT = "000000000000";
    static final String ACCESS_KEY = "AKIABENCHTASKS000001";
    static final String SECRET_KEY = "bench/tasks/secret/000000000000000000000";

    private StevedoreProcesses() {
    }

    /** A started JVM; closing it sends SIGTERM (shutdown hooks run) and waits. */
    record Jvm(String name, Process process, Path log, List<String> jvmOptions) implements AutoCloseable {
        long pid() {
            return process.pid();
        }

        void requireAlive() {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes every JVM, agents before the control plane (so that none reacts to its containers going), and forgets them. */
    static void closeAll(List<Jvm> jvms) {
        List<Jvm> running = new ArrayList<>(jvms);
        running.sort(Comparator.comparing((Jvm j) -> j.name().startsWith("server")));
        running.forEach(Jvm::close);
        jvms.clear();
    }

    /**
     * The JVM options {@code bin/stevedore} gives the JVM for {@code command} ({@code up}, {@code agent}),
     * asked of the launcher itself (with the JDK running this benchmark, since some options depend on
     * its version), so that "launcher flags" here always means what users get today.
     */
    static List<String> launcherOptions(Path root, String command) {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("bin/stevedore").toString(), command)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("STEVEDORE_PRINT_JVM_OPTIONS", "1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            Process p = pb.start();
            List<String> options = new String(p.getInputStream().readAllBytes()).lines()
                    .map(String::trim).filter(line -> !line.isEmpty()).toList();
            if (p.waitFor() == 0) {
                return options;
            }
        } catch (IOException e) {
            // Reported below like a launcher without options.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.err.println("warning: bin/stevedore did not print its JVM options for " + command + "; using none");
        return List.of();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param coalesceMillis empty: {@code stevedore up --no-agent} from the jar; else the experiment's
     *                       {@link ControlPlaneProcess} with that agent-channel coalescing window
     */
    static Jvm server(Path jar, Path dataDir, int port, List<String> jvmOptions, Path log, OptionalLong coalesceMillis)
            throws InterruptedException {
        return server(jar, dataDir, port, jvmOptions, log, coalesceMillis, List.of());
    }

    /** The same, with more options for {@code stevedore up}. */
    static Jvm server(Path jar, Path dataDir, int port, List<String> jvmOptions, Path log, OptionalLong coalesceMillis,
                      List<String> upOptions) throws InterruptedException {
        return server(jar, dataDir, port, jvmOptions, log, coalesceMillis, upOptions, ACCOUNT);
    }

    /** The same, for the account {@code account} (the control plane serves one). */
    static Jvm server(Path jar, Path dataDir, int port, List<String> jvmOptions, Path log, OptionalLong coalesceMillis,
                      List<String> upOptions, String account) throws InterruptedException {
        List<String> cmd;
        if (coalesceMillis.isEmpty()) {
            cmd = java(jvmOptions, jar);
            cmd.addAll(List.of("up", "--no-agent", "--port", Integer.toString(port), "--data-dir", dataDir.toString(),
                    "--account-id", account, "--region", REGION));
            cmd.addAll(upOptions);
        } else {
            cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmOptions);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ControlPlaneProcess.class.getName(),
                    Integer.toString(port), dataDir.toString(), REGION, account, Long.toString(coalesceMillis.getAsLong())));
        }
        Jvm jvm = start("server", cmd, Map.of("STEVEDORE_ACCESS_KEY_ID", ACCESS_KEY,
                "STEVEDORE_SECRET_ACCESS_KEY", SECRET_KEY), jvmOptions, log);
        try (EcsClient ecs = ecs(port)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                jvm.requireAlive();
                try {
                    ecs.listClusters();
                    return jvm;
                } catch (RuntimeException notYet) {
                    if (System.nanoTime() > deadline) {
                        jvm.close();
                        throw new IllegalStateException("server not ready after 60 s; see " + log, notYet);
                    }
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    /** An agent joined to {@code cluster}; returns once the control plane shows it connected. */
    static Jvm agent(Path jar, int port, EcsClient ecs, String cluster, Path dataDir, String instanceId,
                     List<String> jvmOptions, Path log) throws InterruptedException {
        List<String> cmd = java(jvmOptions, jar);
        cmd.addAll(List.of("agent", "--endpoint", "http://127.0.0.1:" + port, "--cluster", cluster,
                "--data-dir", dataDir.toString(), "--instance-id", instanceId, "--region", REGION));
        Jvm jvm = start("agent " + instanceId, cmd, Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", REGION), jvmOptions, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!connected(ecs, cluster)) {
            jvm.requireAlive();
            if (System.nanoTime() > deadline) {
                jvm.close();
                throw new IllegalStateException("agent not connected after 60 s; see " + log);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return jvm;
    }

    /**
     * A platform host ({@code stevedore agent --fargate}): Fargate capacity of the account, in
     * {@code zone}, registering {@code cpu} units and {@code memoryMiB}. ECS has no call that shows
     * the platform pool, so it counts as joined once its log says it runs.
     */
    static Jvm platformHost(Path jar, int port, Path dataDir, String instanceId, String zone, int cpu, int memoryMiB,
                            List<String> jvmOptions, Path log) throws InterruptedException {
        List<String> cmd = java(jvmOptions, jar);
        cmd.addAll(List.of("agent", "--endpoint", "http://127.0.0.1:" + port, "--fargate",
                "--data-dir", dataDir.toString(), "--instance-id", instanceId, "--region", REGION,
                "--attribute", "ecs.availability-zone=" + zone, "--cpu", Integer.toString(cpu),
                "--memory", Integer.toString(memoryMiB)));
        Jvm jvm = start("agent " + instanceId, cmd, Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", REGION), jvmOptions, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!logShows(log, "Stevedore agent running")) {
            jvm.requireAlive();
            if (System.nanoTime() > deadline) {
                jvm.close();
                throw new IllegalStateException("platform host not running after 60 s; see " + log);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return jvm;
    }

    private static boolean logShows(Path log, String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean connected(EcsClient ecs, String cluster) {
        List<String> arns = ecs.listContainerInstances(b -> b.cluster(cluster)).containerInstanceArns();
        return !arns.isEmpty() && ecs.describeContainerInstances(b -> b.cluster(cluster).containerInstances(arns))
                .containerInstances().stream().anyMatch(ContainerInstance::agentConnected);
    }

    private static List<String> java(List<String> jvmOptions, Path jar) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString()));
        return cmd;
    }

    private static Jvm start(String name, List<String> cmd, Map<String, String> env, List<String> jvmOptions, Path log) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            return new Jvm(name, pb.start(), log, List.copyOf(jvmOptions));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The client side: the AWS SDK v2 ECS client, SigV4-signing every call, over the Apache client
     * (the SDK's default synchronous transport) with enough connections for the parallel phases.
     */
    static EcsClient ecs(int port) {
        return EcsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.of(REGION))
                .credentialsProvider(credentials())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).apiCallTimeout(Duration.ofSeconds(30)))
                .build();
    }

    /** The control plane's EC2 (VPC) API, same endpoint and credentials. */
    static Ec2Client ec2(int port) {
        return Ec2Client.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.of(REGION))
                .credentialsProvider(credentials())
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).apiCallTimeout(Duration.ofSeconds(30)))
                .build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }
}
