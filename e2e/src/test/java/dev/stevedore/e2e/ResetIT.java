package dev.stevedore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.SigV4Credentials;
import dev.stevedore.awsproto.SigV4Signer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionFamilyStatus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The development reset as a test suite uses it: {@code stevedore up --dev} with its local agent on
 * the real Docker engine, state made in three Regions with the AWS SDK and the AWS CLI, tasks and a
 * service running, then {@code stevedore reset}: nothing the tests made is left, no container runs,
 * and the local agent takes the next task. Without {@code --dev} the path does not exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@UsesDockerEngineAlone
class ResetIT {
    static final String IMAGE = "stevedore-test/busybox:latest";
    static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "eu-central-1");
    static final Duration WAIT = Duration.ofSeconds(90);
    StevedoreProcess server;
    EcsClient ecs;
    String agentInstance;
    String fargateSubnet;

    @BeforeAll
    void start() throws Exception {
        Path root = Files.createTempDirectory("stevedore-reset");
        server = StevedoreProcess.start(root.resolve("server"), StevedoreProcess.freePort(), List.of("--dev"));
        ecs = server.ecs();
        await().atMost(WAIT).until(() -> connected().isPresent());
        agentInstance = connected().orElseThrow().containerInstanceArn();
    }

    @AfterAll
    void stop() {
        if (ecs != null) {
            ecs.close();
        }
        if (server != null) {
            server.close();
            Docker.removeCluster(InProcessStevedore.arnIn("us-east-1", "cluster/default"));
            Docker.removeCluster(InProcessStevedore.arnIn("us-east-1", "cluster/fargate.platform"));
            if (fargateSubnet != null) {
                Docker.removeSubnetNetwork(fargateSubnet);
            }
        }
    }

    @Test
    void resetLeavesNoClusterTaskDefinitionTaskOrContainerBehindAndTheAgentStaysUsable() throws Exception {
        List<String> taskArns = new ArrayList<>();
        registerSleeper(ecs);
        for (Task t : ecs.runTask(b -> b.taskDefinition("sleeper").count(2)).tasks()) {
            taskArns.add(t.taskArn());
        }
        ecs.createService(b -> b.serviceName("kept-running").taskDefinition("sleeper").desiredCount(1));
        ecs.createCluster(b -> b.clusterName("extra"));
        ecs.putAccountSetting(b -> b.name("containerInsights").value("enabled"));
        try (EcsClient ohio = server.ecsIn("us-east-2")) {
            ohio.createCluster(b -> b.clusterName("ohio"));
            registerSleeper(ohio);
        }
        AwsCli frankfurt = new AwsCli("http://127.0.0.1:" + server.port, "eu-central-1");
        frankfurt.ok("ecs", "create-cluster", "--cluster-name", "frankfurt");
        frankfurt.ok("ecs", "register-task-definition", "--family", "cli-family", "--container-definitions",
                "[{\"name\":\"main\",\"image\":\"" + IMAGE + "\",\"memory\":16}]");
        await().atMost(WAIT).until(() -> running().size() == 3);
        taskArns.addAll(running().stream().map(Task::taskArn).filter(a -> !taskArns.contains(a)).toList());
        assertThat(taskArns).hasSize(3).allSatisfy(arn ->
                assertThat(Docker.containers("com.amazonaws.ecs.task-arn", arn)).isNotEmpty());

        StevedoreProcess.CommandResult reset = server.command("reset");

        assertThat(reset.exitCode()).as(reset.output()).isZero();
        assertThat(reset.output()).contains("\"stoppedTasks\":3").contains(agentInstance);
        // The agents stopped every container before the answer; they remove them right after.
        for (String arn : taskArns) {
            assertThat(Docker.containers("com.amazonaws.ecs.task-arn", arn)).noneMatch(Docker::isRunning);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> taskArns.stream()
                .allMatch(arn -> Docker.containers("com.amazonaws.ecs.task-arn", arn).isEmpty()));

        for (String region : REGIONS) {
            try (EcsClient r = server.ecsIn(region)) {
                assertThat(r.listClusters().clusterArns()).as(region).isEqualTo(region.equals("us-east-1")
                        ? List.of(InProcessStevedore.arnIn(region, "cluster/default")) : List.of());
                assertThat(r.listTaskDefinitionFamilies(b -> b.status(TaskDefinitionFamilyStatus.ALL)).families())
                        .as(region).isEmpty();
                assertThat(r.listTaskDefinitions().taskDefinitionArns()).as(region).isEmpty();
            }
            JsonNode cliClusters = new AwsCli("http://127.0.0.1:" + server.port, region).ok("ecs", "list-clusters");
            assertThat(cliClusters.get("clusterArns").size()).as(region).isEqualTo(region.equals("us-east-1") ? 1 : 0);
        }
        assertThat(ecs.listTasks(b -> b.desiredStatus(DesiredStatus.RUNNING)).taskArns()).isEmpty();
        assertThat(ecs.listTasks(b -> b.desiredStatus(DesiredStatus.STOPPED)).taskArns()).isEmpty();
        assertThat(ecs.listServices().serviceArns()).isEmpty();
        assertThat(ecs.describeTasks(b -> b.tasks(taskArns)).failures()).extracting(f -> f.reason())
                .containsOnly("MISSING");
        assertThat(ecs.listAccountSettings(b -> b.name("containerInsights")).settings())
                .allSatisfy(s -> assertThat(s.value()).isEqualTo("disabled"));
        ContainerInstance agent = connected().orElseThrow();
        assertThat(agent.containerInstanceArn()).isEqualTo(agentInstance);
        assertThat(agent.runningTasksCount()).isZero();
        assertThat(agent.remainingResources()).isEqualTo(agent.registeredResources());

        // The local agent takes the next test's task.
        registerSleeper(ecs);
        String next = ecs.runTask(b -> b.taskDefinition("sleeper")).tasks().getFirst().taskArn();
        await().atMost(WAIT).until(() -> "RUNNING".equals(
                ecs.describeTasks(b -> b.tasks(next)).tasks().getFirst().lastStatus()));
        // So does the local platform host, with a fresh default VPC.
        ecs.registerTaskDefinition(b -> b.family("fargate-sleeper").networkMode(NetworkMode.AWSVPC)
                .requiresCompatibilities(Compatibility.FARGATE).cpu("256").memory("512")
                .containerDefinitions(ContainerDefinition.builder().name("main").image(IMAGE).stopTimeout(2)
                        .command("sleep", "600").build()));
        try (Ec2Client ec2 = server.ec2()) {
            fargateSubnet = ec2.describeSubnets(b -> b.filters(f -> f.name("availability-zone").values("us-east-1a")))
                    .subnets().getFirst().subnetId();
        }
        String fargate = ecs.runTask(b -> b.taskDefinition("fargate-sleeper").launchType(LaunchType.FARGATE)
                .networkConfiguration(n -> n.awsvpcConfiguration(v -> v.subnets(fargateSubnet)))).tasks()
                .getFirst().taskArn();
        await().atMost(WAIT).until(() -> "RUNNING".equals(
                ecs.describeTasks(b -> b.tasks(fargate)).tasks().getFirst().lastStatus()));
        assertThat(server.command("reset").exitCode()).isZero();
        assertThat(Docker.containers("com.amazonaws.ecs.task-arn", next)).noneMatch(Docker::isRunning);
        assertThat(Docker.containers("com.amazonaws.ecs.task-arn", fargate)).noneMatch(Docker::isRunning);
    }

    @Test
    void withoutDevThereIsNoResetPath() throws Exception {
        try (InProcessStevedore plain = InProcessStevedore.start(); EcsClient client = plain.ecs()) {
            client.createCluster(b -> b.clusterName("stays"));

            HttpResponse<String> answer = signedPost(plain.endpoint().resolve("/_stevedore/reset"));

            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(answer.body()).contains("UnknownOperationException");
            assertThat(client.listClusters().clusterArns()).contains(plain.arn("cluster/stays"));
        }
    }

    private static void registerSleeper(EcsClient client) {
        client.registerTaskDefinition(b -> b.family("sleeper").containerDefinitions(ContainerDefinition.builder()
                .name("main").image(IMAGE).memory(16).command("sleep", "600").stopTimeout(2).build()));
    }

    private List<Task> running() {
        List<String> arns = ecs.listTasks().taskArns();
        if (arns.isEmpty()) {
            return List.of();
        }
        return ecs.describeTasks(b -> b.tasks(arns)).tasks().stream()
                .filter(t -> "RUNNING".equals(t.lastStatus())).toList();
    }

    private Optional<ContainerInstance> connected() {
        List<String> arns = ecs.listContainerInstances().containerInstanceArns();
        if (arns.isEmpty()) {
            return Optional.empty();
        }
        return ecs.describeContainerInstances(b -> b.containerInstances(arns)).containerInstances().stream()
                .filter(ContainerInstance::agentConnected).findFirst();
    }

    private static HttpResponse<String> signedPost(URI uri) throws Exception {
        Headers signed = new SigV4Signer(new SigV4Credentials(InProcessStevedore.ACCESS_KEY,
                InProcessStevedore.SECRET_KEY, Optional.empty()), InProcessStevedore.REGION, "ecs")
                .sign("POST", uri, Headers.empty(), new byte[0], Instant.now());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody());
        for (String name : signed.names()) {
            signed.all(name).forEach(v -> request.header(name, v));
        }
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
