package dev.stevedore.bench.tasks;

import dev.stevedore.bench.tasks.StevedoreProcesses.Jvm;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Services on Docker: a service scaled from 0 to N real containers, and a rolling deployment of
 * those N, next to N parallel {@code docker run -d} of the same image on the same engine, rounds
 * interleaved; then a host vanishing (its agent killed with SIGKILL, its containers left behind)
 * and the time until its service tasks run on the other host.
 *
 * <p>The control plane and two agents run as their own JVMs from the runnable jar; the harness is
 * an ECS client (AWS SDK v2) polling DescribeServices every 50 ms, and a Docker client. The server
 * runs with {@code --task-healthy-after 0}: the 40 seconds ECS waits before a task without a health
 * check counts as healthy is a fixed delay, not work, and would only add itself to the deployment.
 * The containers' command exits on SIGTERM, so replaced tasks stop at once.
 *
 * <p>Usage: {@code bench/run-services.sh [rounds=3] [count=30]}
 */
public final class ServicesBenchmark {
    static final String IMAGE = "stevedore-test/busybox:latest";
    /** Sleeps, and exits at once on SIGTERM (busybox sleep as PID 1 would ignore it). */
    static final List<String> COMMAND = List.of("sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait");
    static final int MEMORY_MIB = 16;
    static final Duration POLL = Duration.ofMillis(50);
    static final int HOST_LOST_AFTER_SECONDS = 15;

    private final Path root;
    private final Path dir;
    private final Path jar;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final List<Jvm> jvms = new ArrayList<>();
    private DockerHost docker;
    /** The cluster's ARN, which the agent's label on each container carries; empty until created. */
    private String clusterArn = "";

    private ServicesBenchmark() throws Exception {
        this.root = Path.of(System.getProperty("stevedore.root", ".")).toAbsolutePath().normalize();
        Path built = root.resolve("server/target/stevedore.jar");
        if (!Files.exists(built)) {
            throw new IllegalStateException("runnable jar missing: " + built);
        }
        this.dir = Files.createTempDirectory("stevedore-bench-services-");
        this.jar = Files.copy(built, dir.resolve("stevedore.jar"));
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        ServicesBenchmark bench = new ServicesBenchmark();
        int status = 0;
        try {
            bench.run(rounds, count);
        } catch (Exception | Error e) {
            e.printStackTrace();
            status = 1;
        } finally {
            bench.cleanUp();
        }
        System.exit(status);
    }

    private void run(int rounds, int count) throws Exception {
        docker = DockerHost.connect();
        int port = StevedoreProcesses.freePort();
        Jvm server = StevedoreProcesses.server(jar, dir.resolve("server"), port,
                StevedoreProcesses.launcherOptions(root, "up"), dir.resolve("server.log"), OptionalLong.empty(),
                List.of("--task-healthy-after", "0", "--host-lost-after", Integer.toString(HOST_LOST_AFTER_SECONDS)));
        jvms.add(server);
        List<String> agentOptions = StevedoreProcesses.launcherOptions(root, "agent");
        try (EcsClient ecs = StevedoreProcesses.ecs(port)) {
            String cluster = "services-" + runId;
            clusterArn = ecs.createCluster(b -> b.clusterName(cluster)).cluster().clusterArn();
            for (String revision : List.of("1", "2")) {
                ecs.registerTaskDefinition(b -> b.family("bench-service").containerDefinitions(ContainerDefinition.builder()
                        .name("main").image(IMAGE).memory(MEMORY_MIB).command(COMMAND)
                        .environment(KeyValuePair.builder().name("REVISION").value(revision).build()).build()));
            }
            Jvm agentA = StevedoreProcesses.agent(jar, port, ecs, cluster, dir.resolve("agent-a"), "i-0bench" + runId + "a",
                    agentOptions, dir.resolve("agent-a.log"));
            jvms.add(agentA);
            System.out.printf("run %s: Docker %s, %d cores; control plane and agent from %s%n", runId,
                    docker.engineVersion(), Runtime.getRuntime().availableProcessors(), jar);

            List<Long> reference = new ArrayList<>();
            List<Long> scaleUp = new ArrayList<>();
            List<Long> newRunning = new ArrayList<>();
            List<Long> deployed = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                reference.add(dockerBurst(count));
                String service = "web-" + round;
                long t0 = System.nanoTime();
                ecs.createService(b -> b.cluster(cluster).serviceName(service).taskDefinition("bench-service:1")
                        .desiredCount(count));
                await(() -> running(ecs, cluster, service) == count, Duration.ofMinutes(3));
                scaleUp.add(System.nanoTime() - t0);
                reference.add(dockerBurst(count));
                long t1 = System.nanoTime();
                ecs.updateService(b -> b.cluster(cluster).service(service).taskDefinition("bench-service:2"));
                await(() -> primaryRunning(ecs, cluster, service, ":2") == count, Duration.ofMinutes(3));
                newRunning.add(System.nanoTime() - t1);
                await(() -> stable(ecs, cluster, service), Duration.ofMinutes(3));
                deployed.add(System.nanoTime() - t1);
                ecs.deleteService(b -> b.cluster(cluster).service(service).force(true));
                await(() -> "INACTIVE".equals(describe(ecs, cluster, service).status())
                        && docker.labelledRunning(DockerHost.CLUSTER_LABEL, clusterArn).isEmpty(), Duration.ofMinutes(3));
                // The agent keeps stopped containers (as ECS's does, for hours); thousands of them slow
                // the engine down for both sides, so each round starts on a clean engine as the reference does.
                docker.removeAll(docker.labelled(DockerHost.CLUSTER_LABEL, clusterArn));
                System.out.printf("round %d: docker %.0f/%.0f ms, scale-up %.0f ms, deployment: new tasks running %.0f ms, "
                                + "completed %.0f ms%n", round + 1, ms(reference.get(2 * round)), ms(reference.get(2 * round + 1)),
                        ms(scaleUp.getLast()), ms(newRunning.getLast()), ms(deployed.getLast()));
            }
            double ref = median(reference);
            System.out.printf("%n| %d containers, %d rounds | median ms | ÷ %d × docker run |%n|---|---:|---:|%n", count,
                    rounds, count);
            System.out.printf("| `docker run -d` × %d in parallel (last exit) | %.0f | 1.00 |%n", count, ref);
            row("CreateService(desiredCount " + count + ") → runningCount " + count, scaleUp, ref);
            row("UpdateService (new revision) → " + count + " new tasks RUNNING", newRunning, ref);
            row("UpdateService (new revision) → deployment COMPLETED, old tasks stopped", deployed, ref);

            hostVanishes(ecs, port, cluster, agentA, agentOptions);
        }
    }

    /** A service spread over two hosts; one host's agent is killed; until its tasks run on the other. */
    private void hostVanishes(EcsClient ecs, int port, String cluster, Jvm agentA, List<String> agentOptions)
            throws Exception {
        Jvm agentB = StevedoreProcesses.agent(jar, port, ecs, cluster, dir.resolve("agent-b"), "i-0bench" + runId + "b",
                agentOptions, dir.resolve("agent-b.log"));
        jvms.add(agentB);
        // Both hosts must be connected before the service is placed, or its tasks all land on the first.
        await(() -> {
            List<String> arns = ecs.listContainerInstances(b -> b.cluster(cluster)).containerInstanceArns();
            return arns.size() == 2 && ecs.describeContainerInstances(b -> b.cluster(cluster).containerInstances(arns))
                    .containerInstances().stream().allMatch(ContainerInstance::agentConnected);
        }, Duration.ofMinutes(1));
        String service = "vanish";
        int count = 6;
        ecs.createService(b -> b.cluster(cluster).serviceName(service).taskDefinition("bench-service:1").desiredCount(count)
                .placementStrategy(p -> p.type("spread").field("instanceId")));
        await(() -> stable(ecs, cluster, service), Duration.ofMinutes(2));
        String lostInstance = ecs.listContainerInstances(b -> b.cluster(cluster)).containerInstanceArns().stream()
                .filter(arn -> ecs.describeContainerInstances(b -> b.cluster(cluster).containerInstances(arn))
                        .containerInstances().getFirst().ec2InstanceId().endsWith("a"))
                .findFirst().orElseThrow();
        long onLost = tasks(ecs, cluster, service).stream().filter(t -> lostInstance.equals(t.containerInstanceArn())).count();
        if (onLost == 0) {
            throw new IllegalStateException("no task of the service on the host that is to vanish: nothing to measure");
        }
        agentA.process().destroyForcibly();
        agentA.process().waitFor();
        long t0 = System.nanoTime();
        await(() -> {
            List<Task> tasks = tasks(ecs, cluster, service);
            return tasks.stream().filter(t -> "RUNNING".equals(t.lastStatus())).count() == count
                    && tasks.stream().noneMatch(t -> lostInstance.equals(t.containerInstanceArn()));
        }, Duration.ofMinutes(2));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%nHost vanishes (its agent killed with SIGKILL, %d of the service's %d tasks on it): "
                        + "its tasks RUNNING on the other host %.1f s later (--host-lost-after %d s; goal %d s)%n",
                onLost, count, seconds, HOST_LOST_AFTER_SECONDS, HOST_LOST_AFTER_SECONDS + 10);
        ecs.deleteService(b -> b.cluster(cluster).service(service).force(true));
    }

    private static List<Task> tasks(EcsClient ecs, String cluster, String service) {
        List<String> arns = ecs.listTasks(b -> b.cluster(cluster).serviceName(service).desiredStatus(DesiredStatus.RUNNING))
                .taskArns();
        return arns.isEmpty() ? List.of() : ecs.describeTasks(b -> b.cluster(cluster).tasks(arns)).tasks();
    }

    private static Service describe(EcsClient ecs, String cluster, String service) {
        return ecs.describeServices(b -> b.cluster(cluster).services(service)).services().getFirst();
    }

    private static int running(EcsClient ecs, String cluster, String service) {
        return describe(ecs, cluster, service).runningCount();
    }

    private static int primaryRunning(EcsClient ecs, String cluster, String service, String revision) {
        Deployment primary = describe(ecs, cluster, service).deployments().getFirst();
        return primary.taskDefinition().endsWith(revision) ? primary.runningCount() : 0;
    }

    private static boolean stable(EcsClient ecs, String cluster, String service) {
        Service s = describe(ecs, cluster, service);
        return s.deployments().size() == 1 && "COMPLETED".equals(s.deployments().getFirst().rolloutStateAsString())
                && s.runningCount().equals(s.desiredCount());
    }

    /** {@code n} parallel {@code docker run -d} until the last exits; the containers are removed after. */
    private long dockerBurst(int n) throws Exception {
        String burst = runId + "-" + UUID.randomUUID().toString().substring(0, 4);
        long[] t0 = new long[1];
        List<AtOnce.Done<String>> done = AtOnce.run(n, t0, i -> {
            try {
                return docker.cliRun(burst, IMAGE, COMMAND, MEMORY_MIB);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long last = done.stream().mapToLong(AtOnce.Done::at).max().orElseThrow();
        docker.removeAll(docker.labelled(DockerHost.RUN_LABEL, burst));
        TimeUnit.SECONDS.sleep(1);
        return last - t0[0];
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Condition condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + timeout);
            }
            TimeUnit.NANOSECONDS.sleep(POLL.toNanos());
        }
    }

    private static void row(String name, List<Long> nanos, double referenceMs) {
        double m = median(nanos);
        System.out.printf("| %s | %.0f | %.2f |%n", name, m, m / referenceMs);
    }

    private static double median(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return ms(sorted.get(sorted.size() / 2));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private void cleanUp() {
        for (int i = jvms.size() - 1; i >= 0; i--) {
            jvms.get(i).close();
        }
        if (docker != null) {
            try {
                docker.removeAll(docker.labelled(DockerHost.RUN_LABEL, runId));
                if (!clusterArn.isEmpty()) {
                    docker.removeAll(docker.labelled(DockerHost.CLUSTER_LABEL, clusterArn));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            docker.close();
        }
    }
}
