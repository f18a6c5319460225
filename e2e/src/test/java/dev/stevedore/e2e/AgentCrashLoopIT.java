package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * {@code kill -9} of an agent, again and again, while tasks start and stop on it. After each restart the
 * agent must adopt what it left: every task the control plane has RUNNING has exactly one container, and
 * it runs; no container runs for a stopped task; no container runs that no task owns; no acknowledged
 * task is lost. Rounds: {@code -Dagentcrashloop.rounds} (default 2 in the suite; BENCHMARKS.md "Crash loops" has longer runs).
 */
@UsesDockerEngine
class AgentCrashLoopIT {
    private static final String IMAGE = "stevedore-test/busybox:latest";
    private static final String INSTANCE_ID = "i-0000000000000c4a5";
    private static final String ZONE = "us-east-1a";

    @Test
    void killedAgentsAdoptTheirContainersAndNeitherLeakNorDuplicateThem() throws Exception {
        int rounds = Integer.getInteger("agentcrashloop.rounds", 2);
        Path root = Files.createTempDirectory("stevedore-agent-crash");
        String cluster = "agent-crash-" + Long.toHexString(System.nanoTime());
        String clusterArn = "arn:aws:ecs:" + InProcessStevedore.REGION + ":" + InProcessStevedore.ACCOUNT
                + ":cluster/" + cluster;
        Random random = new Random(Long.getLong("agentcrashloop.seed", 7));
        AgentProcess agent = null;
        try (InProcessStevedore stevedore = InProcessStevedore.start(root.resolve("server"));
             EcsClient ecs = stevedore.ecs()) {
            int port = stevedore.endpoint().getPort();
            ClusterTasks tasks = new ClusterTasks(ecs, cluster);
            ecs.createCluster(b -> b.clusterName(cluster));
            ecs.registerTaskDefinition(b -> b.family("sleeper").containerDefinitions(ContainerDefinition.builder()
                    .name("main").image(IMAGE).memory(16).essential(true).command("sleep", "600")
                    // sleep as PID 1 ignores SIGTERM: without this every stop would wait ECS's 30 s default.
                    .stopTimeout(1).build()));
            agent = AgentProcess.start(port, cluster, root.resolve("agent"), INSTANCE_ID, ZONE, 4096, 2048);
            await().atMost(Duration.ofSeconds(60)).until(tasks::agentConnected);

            List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
            Set<String> stopsAsked = Collections.synchronizedSet(new HashSet<>());
            // While the agent is away RunTask fails with AGENT, as on ECS; while it is connected, nothing may fail.
            List<String> placementFailures = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean agentAway = new AtomicBoolean(false);
            AtomicInteger agentAwayFailures = new AtomicInteger();
            for (int round = 1; round <= rounds; round++) {
                List<Throwable> workloadFailures = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean working = new AtomicBoolean(true);
                Random workloadRandom = new Random(random.nextLong());
                CountDownLatch placedThisRound = new CountDownLatch(1);
                // Starts and stops while the agent dies and comes back: RunTask of two, then a stop of an
                // earlier task, every 100 ms. A task placed while the agent is away waits in PENDING for it.
                Thread workload = Thread.ofPlatform().start(() -> {
                    while (working.get()) {
                        try {
                            boolean awayBefore = agentAway.get();
                            var answer = ecs.runTask(b -> b.cluster(cluster).taskDefinition("sleeper").count(2));
                            answer.tasks().forEach(t -> acknowledged.add(t.taskArn()));
                            boolean away = awayBefore || agentAway.get();
                            answer.failures().forEach(f -> {
                                if (away && f.reason().equals("AGENT")) {
                                    agentAwayFailures.incrementAndGet();
                                } else {
                                    placementFailures.add(f.reason());
                                }
                            });
                            if (!answer.tasks().isEmpty()) {
                                placedThisRound.countDown();
                            }
                            List<String> candidates;
                            synchronized (acknowledged) {
                                candidates = acknowledged.stream().filter(a -> !stopsAsked.contains(a)).toList();
                            }
                            if (candidates.size() > 4) {
                                String victim = candidates.get(workloadRandom.nextInt(candidates.size() - 2));
                                ecs.stopTask(b -> b.cluster(cluster).task(victim).reason("crash loop"));
                                stopsAsked.add(victim);
                            }
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        } catch (Throwable t) {
                            workloadFailures.add(t);
                            return;
                        }
                    }
                });
                assertThat(placedThisRound.await(30, TimeUnit.SECONDS)).as("round %d: a placement", round).isTrue();
                Thread.sleep(200 + random.nextInt(1200));
                agentAway.set(true);
                agent.kill();
                Thread.sleep(random.nextInt(800));
                agent = AgentProcess.start(port, cluster, root.resolve("agent"), INSTANCE_ID, ZONE, 4096, 2048);
                await().atMost(Duration.ofSeconds(60)).until(tasks::agentConnected);
                agentAway.set(false);
                Thread.sleep(300 + random.nextInt(700));
                working.set(false);
                workload.join();
                assertThat(workloadFailures).as("round %d: the API calls", round).isEmpty();
                assertThat(placementFailures).as("round %d: placements", round).isEmpty();

                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> settled(ecs, cluster, acknowledged));
                checkInvariants(ecs, cluster, clusterArn, acknowledged, stopsAsked, round);
                // Keep the host from filling: stop all but a few of the running tasks for the next round.
                List<String> running = ecs.listTasks(b -> b.cluster(cluster).desiredStatus("RUNNING")).taskArns();
                for (String arn : running.subList(0, Math.max(0, running.size() - 4))) {
                    ecs.stopTask(b -> b.cluster(cluster).task(arn).reason("trim"));
                    stopsAsked.add(arn);
                }
            }
            // The figures BENCHMARKS.md's "Crash loops" table reports.
            System.out.printf("agent crash loop: %d kills, %d tasks acknowledged, %d stops asked, %d AGENT failures"
                    + " while away, 0 lost, 0 duplicated, 0 leaked%n", rounds, acknowledged.size(), stopsAsked.size(),
                    agentAwayFailures.get());
        } finally {
            if (agent != null) {
                agent.close();
            }
            Docker.removeCluster(clusterArn);
        }
    }

    /** Whether every acknowledged task has reached the status it is meant to have. */
    private static boolean settled(EcsClient ecs, String cluster, List<String> acknowledged) {
        for (Task t : describeAll(ecs, cluster, acknowledged).values()) {
            if (!t.lastStatus().equals(t.desiredStatus())) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Task> describeAll(EcsClient ecs, String cluster, List<String> arns) {
        List<String> copy;
        synchronized (arns) {
            copy = List.copyOf(arns);
        }
        Map<String, Task> byArn = new HashMap<>();
        for (int i = 0; i < copy.size(); i += 100) {
            List<String> page = copy.subList(i, Math.min(copy.size(), i + 100));
            ecs.describeTasks(b -> b.cluster(cluster).tasks(page)).tasks().forEach(t -> byArn.put(t.taskArn(), t));
        }
        return byArn;
    }

    private static void checkInvariants(EcsClient ecs, String cluster, String clusterArn, List<String> acknowledged,
                                        Set<String> stopsAsked, int round) {
        Map<String, Task> described = describeAll(ecs, cluster, acknowledged);
        assertThat(described.keySet()).as("round %d: no acknowledged task lost", round)
                .containsExactlyInAnyOrderElementsOf(new HashSet<>(acknowledged));
        Set<String> runningTasks = new HashSet<>();
        for (Task t : described.values()) {
            if (t.lastStatus().equals("RUNNING")) {
                runningTasks.add(t.taskArn());
                assertThat(stopsAsked).as("round %d: a task asked to stop is not running", round)
                        .doesNotContain(t.taskArn());
                List<String> containers = Docker.containers("com.amazonaws.ecs.task-arn", t.taskArn());
                assertThat(containers).as("round %d: one container for %s", round, t.taskArn()).hasSize(1);
                assertThat(Docker.isRunning(containers.get(0))).as("round %d: it runs", round).isTrue();
                assertThat(containers.get(0)).isEqualTo(t.containers().get(0).runtimeId());
            }
        }
        assertThat(runningTasks).as("round %d: the round left tasks running to check; stopped: %s", round,
                described.values().stream().map(t -> t.stopCode() + " " + t.stoppedReason()).distinct().toList())
                .isNotEmpty();
        Set<String> runningContainersTasks = new HashSet<>();
        for (Docker.Running c : Docker.running(clusterArn, "sleeper")) {
            assertThat(runningContainersTasks.add(c.taskArn()))
                    .as("round %d: no second running container for %s", round, c.taskArn()).isTrue();
        }
        assertThat(runningContainersTasks).as("round %d: every running container is a RUNNING task's", round)
                .isEqualTo(runningTasks);
    }
}
