package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The replicas of {@link ReplicaFailoverIT} with real agents: two {@code stevedore agent} processes, in two
 * zones, that run their tasks as Docker containers and know both replicas. The leader is killed with
 * SIGKILL twice (each replica once): the agents move to the survivor, whose new placements start as
 * containers, while the containers of the tasks placed before run on untouched (the same container, not
 * a new one); a StopTask after the kill stops its container; and at the end every RUNNING task has
 * exactly one running container and no container runs that no RUNNING task owns.
 */
@UsesDockerEngine
@StartEarly
class ReplicaFailoverOnDockerIT {
    private static final String IMAGE = "stevedore-test/busybox:latest";
    private static final String CLUSTER = "failover-docker-" + Long.toHexString(System.nanoTime());
    private static final String CLUSTER_ARN = "arn:aws:ecs:" + InProcessStevedore.REGION + ":"
            + InProcessStevedore.ACCOUNT + ":cluster/" + CLUSTER;
    private static final String FAMILY = "sleeper";

    @Test
    void killedLeadersHandRealAgentsToTheOtherReplicaWithoutLosingOrDoublingAContainer() throws Exception {
        Path root = Files.createTempDirectory("stevedore-failover-docker");
        List<AgentProcess> agents = new ArrayList<>();
        try (EtcdReplicas set = new EtcdReplicas("stevedore-failover-docker", "/stevedore-failover-docker",
                List.of())) {
            try (EcsClient ecs = set.replicas[set.leader()].ecs()) {
                ecs.createCluster(b -> b.clusterName(CLUSTER));
                ecs.registerTaskDefinition(b -> b.family(FAMILY).containerDefinitions(ContainerDefinition.builder()
                        .name("main").image(IMAGE).memory(16).essential(true).command("sleep", "600")
                        // sleep as PID 1 ignores SIGTERM: without this every stop would wait ECS's 30 s default.
                        .stopTimeout(1).build()));
            }
            agents.add(AgentProcess.start(set.endpoints(), CLUSTER, root.resolve("agent-a"), "i-00000000000fa11a",
                    "us-east-1a", 2048, 1024));
            agents.add(AgentProcess.start(set.endpoints(), CLUSTER, root.resolve("agent-b"), "i-00000000000fa11b",
                    "us-east-1b", 2048, 1024));
            ApiHosts.awaitAgentsConnected(set.replicas[set.leader()], CLUSTER, 2, Duration.ofSeconds(60));

            Map<String, String> containerOf = new HashMap<>();
            Set<String> stopped = new HashSet<>();
            containerOf.putAll(runUntilRunning(set.replicas[set.leader()], "before-kills", 4));
            for (int kill = 1; kill <= 2; kill++) {
                int leader = set.leader();
                int survivor = 1 - leader;
                set.replicas[leader].kill();
                // The survivor takes over; the agents find it when their connection to the dead one breaks.
                Map<String, String> placed = runUntilRunning(set.replicas[survivor], "after-kill-" + kill, 2);
                containerOf.putAll(placed);
                try (EcsClient ecs = set.replicas[survivor].ecs()) {
                    assertThat(set.leader()).as("kill %d: the survivor leads", kill).isEqualTo(survivor);
                    // Placed before the kill: still RUNNING, in the container it started in, which still runs.
                    for (Task t : describe(ecs, containerOf.keySet())) {
                        if (stopped.contains(t.taskArn())) {
                            continue;
                        }
                        assertThat(t.lastStatus()).as("kill %d: %s", kill, t.taskArn()).isEqualTo("RUNNING");
                        assertThat(t.containers().getFirst().runtimeId()).as("kill %d: %s's container", kill,
                                t.taskArn()).isEqualTo(containerOf.get(t.taskArn()));
                        assertThat(Docker.isRunning(containerOf.get(t.taskArn()))).isTrue();
                    }
                    // A stop asked of the new leader reaches the agent that runs the task.
                    String victim = containerOf.keySet().stream().filter(a -> !stopped.contains(a)).sorted()
                            .findFirst().orElseThrow();
                    ecs.stopTask(b -> b.cluster(CLUSTER).task(victim).reason("failover test"));
                    stopped.add(victim);
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                            describe(ecs, Set.of(victim)).getFirst().lastStatus().equals("STOPPED"));
                    assertThat(Docker.isRunning(containerOf.get(victim))).as("kill %d: the stopped task's container",
                            kill).isFalse();
                }
                set.start(leader);
                ApiHosts.awaitAgentsConnected(set.replicas[survivor], CLUSTER, 2, Duration.ofSeconds(60));
            }
            try (EcsClient ecs = set.replicas[set.leader()].ecs()) {
                checkContainers(ecs, containerOf.keySet(), stopped);
            }
        } finally {
            for (AgentProcess agent : agents) {
                agent.close();
            }
            Docker.removeCluster(CLUSTER_ARN);
        }
    }

    /**
     * RunTask of {@code count} through {@code replica}, tried again until it places them all (the replica may
     * not lead yet, or not yet have the agents back), then until each task placed is RUNNING: each one's
     * container id. Every try has a token of its own: one refused for want of agents must not be replayed.
     */
    private static Map<String, String> runUntilRunning(StevedoreProcess replica, String name, int count) {
        try (EcsClient ecs = replica.ecs()) {
            List<String> placed = new ArrayList<>();
            int[] tries = {0};
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> {
                        String token = name + "-" + ++tries[0];
                        List<Task> tasks = ecs.runTask(RunTaskRequest.builder().cluster(CLUSTER).taskDefinition(FAMILY)
                                .count(count).clientToken(token).startedBy(token).build()).tasks();
                        if (tasks.size() != count) {
                            return false;
                        }
                        tasks.forEach(t -> placed.add(t.taskArn()));
                        return true;
                    });
            Map<String, String> containers = new HashMap<>();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                List<Task> tasks = describe(ecs, placed);
                if (!tasks.stream().allMatch(t -> t.lastStatus().equals("RUNNING"))) {
                    assertThat(tasks).as("placed for %s", name).noneMatch(t -> t.lastStatus().equals("STOPPED"));
                    return false;
                }
                tasks.forEach(t -> containers.put(t.taskArn(), t.containers().getFirst().runtimeId()));
                return true;
            });
            return containers;
        }
    }

    private static List<Task> describe(EcsClient ecs, java.util.Collection<String> arns) {
        return ecs.describeTasks(b -> b.cluster(CLUSTER).tasks(arns)).tasks();
    }

    /**
     * Every acknowledged task is there, RUNNING unless it was stopped; each RUNNING task of the cluster (a try
     * whose answer was lost included) has one running container, and no other container of the cluster runs.
     */
    private static void checkContainers(EcsClient ecs, Set<String> acknowledged, Set<String> stopped) {
        Map<String, Task> all = ApiHosts.allTasks(ecs, CLUSTER);
        assertThat(all.keySet()).as("no acknowledged task lost").containsAll(acknowledged);
        Set<String> running = new HashSet<>();
        for (Task t : all.values()) {
            if (acknowledged.contains(t.taskArn())) {
                assertThat(t.lastStatus()).as(t.taskArn())
                        .isEqualTo(stopped.contains(t.taskArn()) ? "STOPPED" : "RUNNING");
            }
            if (t.lastStatus().equals("RUNNING")) {
                running.add(t.taskArn());
            }
        }
        Set<String> withContainers = new HashSet<>();
        for (Docker.Running c : Docker.running(CLUSTER_ARN, FAMILY)) {
            assertThat(withContainers.add(c.taskArn())).as("no second running container for %s", c.taskArn()).isTrue();
        }
        assertThat(withContainers).as("every running container is a RUNNING task's, and each has one")
                .isEqualTo(running);
    }
}
