package dev.stevedore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.PlacementStrategy;
import software.amazon.awssdk.services.ecs.model.PlacementStrategyType;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The EC2 launch type end to end: a real server process, two real agent processes in two zones,
 * real Docker containers, driven by the AWS SDK and the AWS CLI; then kill -9 of an agent and of
 * the server, which must lose nothing and start nothing twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@UsesDockerEngine
class TasksOnDockerIT {
    static final String IMAGE = "stevedore-test/busybox:latest";
    final String cluster = "docker-" + Long.toHexString(System.nanoTime());
    Path root;
    int port;
    StevedoreProcess server;
    AgentProcess agentA;
    AgentProcess agentB;
    EcsClient ecs;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /**
     * The tests kill and restart agents and expect their tasks adopted, not the host declared lost: on a
     * loaded machine a restarted agent's JVM can take longer than the default 15 seconds to come back.
     */
    static final String[] SERVER_OPTIONS = {"--host-lost-after", "300"};

    @BeforeAll
    void start() throws Exception {
        root = Files.createTempDirectory("stevedore-docker");
        port = StevedoreProcess.freePort();
        server = StevedoreProcess.start(root.resolve("server"), port, SERVER_OPTIONS);
        ecs = server.ecs();
        ecs.createCluster(b -> b.clusterName(cluster));
        agentA = AgentProcess.start(port, cluster, root.resolve("agent-a"), "i-0000000000000000a", "us-east-1a", 2048, 1024);
        agentB = AgentProcess.start(port, cluster, root.resolve("agent-b"), "i-0000000000000000b", "us-east-1b", 2048, 1024);
        await().atMost(Duration.ofSeconds(60)).until(() -> connectedInstances().size() == 2);
        ecs.registerTaskDefinition(b -> b.family("web").containerDefinitions(ContainerDefinition.builder()
                .name("httpd").image(IMAGE).memory(32).essential(true)
                .command("httpd", "-f", "-p", "8080", "-h", "/etc")
                .portMappings(PortMapping.builder().containerPort(8080).hostPort(0).build()).build()));
        ecs.registerTaskDefinition(b -> b.family("exits").containerDefinitions(ContainerDefinition.builder()
                .name("main").image(IMAGE).memory(16).command("sh", "-c", "sleep 1; exit 3").build()));
        ecs.registerTaskDefinition(b -> b.family("missing-image").containerDefinitions(ContainerDefinition.builder()
                .name("main").image("127.0.0.1:9/nothing-here:1").memory(16).build()));
    }

    @AfterAll
    void stop() {
        if (ecs != null) {
            ecs.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {agentA, agentB, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort: the containers are removed below either way
            }
        }
        Docker.removeCluster(clusterArn());
    }

    String clusterArn() {
        return "arn:aws:ecs:" + InProcessStevedore.REGION + ":" + InProcessStevedore.ACCOUNT + ":cluster/" + cluster;
    }

    List<ContainerInstance> connectedInstances() {
        List<String> arns = ecs.listContainerInstances(b -> b.cluster(cluster)).containerInstanceArns();
        if (arns.isEmpty()) {
            return List.of();
        }
        return ecs.describeContainerInstances(b -> b.cluster(cluster).containerInstances(arns)).containerInstances()
                .stream().filter(ContainerInstance::agentConnected).toList();
    }

    Task describe(String taskArn) {
        return new ClusterTasks(ecs, cluster).describe(taskArn);
    }

    Task awaitStatus(String taskArn, String status) {
        return new ClusterTasks(ecs, cluster).awaitStatus(taskArn, status);
    }

    int statusOf(int hostPort) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/passwd"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    static String webTask;

    @Test
    @Order(1)
    void runTaskStartsRealContainersSpreadAcrossZonesAndTheyServeHttp() throws Exception {
        RunTaskResponse r = ecs.runTask(b -> b.cluster(cluster).taskDefinition("web").count(2)
                .placementStrategy(PlacementStrategy.builder().type(PlacementStrategyType.SPREAD)
                        .field("attribute:ecs.availability-zone").build()));
        assertThat(r.failures()).isEmpty();
        assertThat(r.tasks()).extracting(Task::availabilityZone).containsExactlyInAnyOrder("us-east-1a", "us-east-1b");
        for (Task t : r.tasks()) {
            Task running = awaitStatus(t.taskArn(), "RUNNING");
            assertThat(running.startedAt()).isNotNull();
            assertThat(running.containers().get(0).runtimeId()).isNotBlank();
            int hostPort = running.containers().get(0).networkBindings().get(0).hostPort();
            assertThat(hostPort).isPositive();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> statusOf(hostPort) == 200);
            assertThat(Docker.isRunning(running.containers().get(0).runtimeId())).isTrue();
        }
        webTask = r.tasks().get(0).taskArn();
        // The instance's remaining memory reflects the running task exactly.
        ContainerInstance host = ecs.describeContainerInstances(b -> b.cluster(cluster)
                .containerInstances(describe(webTask).containerInstanceArn())).containerInstances().get(0);
        int remainingMemory = host.remainingResources().stream().filter(x -> x.name().equals("MEMORY")).findFirst()
                .orElseThrow().integerValue();
        assertThat(remainingMemory).isEqualTo(1024 - 32);
    }

    @Test
    @Order(2)
    void anEssentialContainerExitStopsTheTaskWithItsExitCode() {
        String arn = ecs.runTask(b -> b.cluster(cluster).taskDefinition("exits")).tasks().get(0).taskArn();
        Task stopped = awaitStatus(arn, "STOPPED");
        assertThat(stopped.stopCode().toString()).isEqualTo("EssentialContainerExited");
        assertThat(stopped.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(3);
        assertThat(stopped.desiredStatus()).isEqualTo("STOPPED");
    }

    @Test
    @Order(3)
    void anImageThatCannotBePulledStopsOnlyThatTask() {
        String arn = ecs.runTask(b -> b.cluster(cluster).taskDefinition("missing-image")).tasks().get(0).taskArn();
        Task stopped = awaitStatus(arn, "STOPPED");
        assertThat(stopped.stopCode().toString()).isEqualTo("TaskFailedToStart");
        assertThat(stopped.stoppedReason()).startsWith("CannotPullContainerError");
        assertThat(describe(webTask).lastStatus()).isEqualTo("RUNNING");
    }

    @Test
    @Order(4)
    void aTaskTooBigForEveryInstanceIsAPlacementFailure() {
        ecs.registerTaskDefinition(b -> b.family("huge").containerDefinitions(ContainerDefinition.builder()
                .name("main").image(IMAGE).memory(4096).build()));
        RunTaskResponse r = ecs.runTask(b -> b.cluster(cluster).taskDefinition("huge"));
        assertThat(r.tasks()).isEmpty();
        assertThat(r.failures()).extracting(f -> f.reason()).containsExactly("RESOURCE:MEMORY");
    }

    @Test
    @Order(5)
    void theAwsCliRunsAndWaitsForATask() {
        AwsCli aws = new AwsCli("http://127.0.0.1:" + port);
        JsonNode run = aws.ok("ecs", "run-task", "--cluster", cluster, "--task-definition", "web");
        String arn = run.at("/tasks/0/taskArn").asText();
        aws.ok("ecs", "wait", "tasks-running", "--cluster", cluster, "--tasks", arn);
        aws.ok("ecs", "stop-task", "--cluster", cluster, "--task", arn, "--reason", "done with it");
        aws.ok("ecs", "wait", "tasks-stopped", "--cluster", cluster, "--tasks", arn);
        JsonNode stopped = aws.ok("ecs", "describe-tasks", "--cluster", cluster, "--tasks", arn);
        assertThat(stopped.at("/tasks/0/stopCode").asText()).isEqualTo("UserInitiated");
        assertThat(stopped.at("/tasks/0/stoppedReason").asText()).isEqualTo("done with it");
    }

    @Test
    @Order(6)
    void killingAnAgentLeavesItsContainersRunningAndTheRestartedAgentAdoptsThem() throws Exception {
        Task before = describe(webTask);
        String instanceArn = before.containerInstanceArn();
        String containerId = before.containers().get(0).runtimeId();
        AgentProcess victim = agentOf(before);
        Path dataDir = victim.dataDir;
        String zone = before.availabilityZone();
        victim.kill();
        assertThat(Docker.isRunning(containerId)).as("container outlives its agent").isTrue();
        AgentProcess restarted = AgentProcess.start(port, cluster, dataDir,
                zone.endsWith("a") ? "i-0000000000000000a" : "i-0000000000000000b", zone, 2048, 1024);
        replace(victim, restarted);
        await().atMost(Duration.ofSeconds(60)).until(() -> connectedInstances().size() == 2);
        assertThat(ecs.listContainerInstances(b -> b.cluster(cluster)).containerInstanceArns())
                .as("no duplicate instance").hasSize(2).contains(instanceArn);
        Task after = describe(webTask);
        assertThat(after.lastStatus()).isEqualTo("RUNNING");
        assertThat(after.containers().get(0).runtimeId()).isEqualTo(containerId);
        assertThat(Docker.containers("com.amazonaws.ecs.task-arn", webTask)).as("no duplicate container").hasSize(1);
        int hostPort = after.containers().get(0).networkBindings().get(0).hostPort();
        assertThat(statusOf(hostPort)).isEqualTo(200);
    }

    @Test
    @Order(7)
    void killingTheServerLosesNothingAndStartsNothingTwice() throws Exception {
        Set<String> running = new HashSet<>(ecs.listTasks(b -> b.cluster(cluster)).taskArns());
        server.kill();
        ecs.close();
        server = StevedoreProcess.start(root.resolve("server"), port, SERVER_OPTIONS);
        ecs = server.ecs();
        await().atMost(Duration.ofSeconds(90)).until(() -> connectedInstances().size() == 2);
        assertThat(new HashSet<>(ecs.listTasks(b -> b.cluster(cluster)).taskArns())).isEqualTo(running);
        for (String arn : running) {
            assertThat(describe(arn).lastStatus()).isEqualTo("RUNNING");
            assertThat(Docker.containers("com.amazonaws.ecs.task-arn", arn)).hasSize(1);
        }
        String arn = ecs.runTask(b -> b.cluster(cluster).taskDefinition("web")).tasks().get(0).taskArn();
        awaitStatus(arn, "RUNNING");
    }

    @Test
    @Order(8)
    void anAgentThatStaysAwayIsShownDisconnectedAndGetsNoPlacements() {
        Task t = describe(webTask);
        AgentProcess agent = agentOf(t);
        agent.close();
        await().atMost(Duration.ofSeconds(60)).until(() -> connectedInstances().size() == 1);
        String awayInstance = t.containerInstanceArn();
        RunTaskResponse r = ecs.runTask(b -> b.cluster(cluster).taskDefinition("web").count(4));
        assertThat(r.tasks()).allSatisfy(task -> assertThat(task.containerInstanceArn()).isNotEqualTo(awayInstance));
    }

    @Test
    @Order(9)
    void aLogConfigurationReachesDockerAndOneTheAgentCannotApplyIsRefusedAtPlacement() {
        ecs.registerTaskDefinition(b -> b.family("logged").containerDefinitions(ContainerDefinition.builder()
                .name("main").image(IMAGE).memory(16).command("sleep", "300")
                .logConfiguration(l -> l.logDriver("json-file").options(java.util.Map.of("max-size", "1m")))
                .build()));
        String arn = ecs.runTask(b -> b.cluster(cluster).taskDefinition("logged")).tasks().get(0).taskArn();
        Task running = awaitStatus(arn, "RUNNING");
        String logConfig = Docker.run("inspect", "-f",
                "{{.HostConfig.LogConfig.Type}} {{index .HostConfig.LogConfig.Config \"max-size\"}}",
                running.containers().get(0).runtimeId()).trim();
        assertThat(logConfig).isEqualTo("json-file 1m");

        // journald: a driver ECS knows and the agent does not apply (awslogs it does: AwsLogsOnDockerIT).
        ecs.registerTaskDefinition(b -> b.family("journal").containerDefinitions(ContainerDefinition.builder()
                .name("main").image(IMAGE).memory(16)
                .logConfiguration(l -> l.logDriver("journald"))
                .build()));
        RunTaskResponse refused = ecs.runTask(b -> b.cluster(cluster).taskDefinition("journal"));
        assertThat(refused.tasks()).isEmpty();
        assertThat(refused.failures()).extracting(f -> f.reason()).containsExactly("ATTRIBUTE");
    }

    private AgentProcess agentOf(Task t) {
        return t.availabilityZone().equals("us-east-1a") ? agentA : agentB;
    }

    private void replace(AgentProcess old, AgentProcess fresh) {
        if (old == agentA) {
            agentA = fresh;
        } else {
            agentB = fresh;
        }
    }
}
