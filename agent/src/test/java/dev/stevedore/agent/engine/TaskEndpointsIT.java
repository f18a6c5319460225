package dev.stevedore.agent.engine;

import static dev.stevedore.agent.engine.TestTasks.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.agent.endpoint.IptablesRoutes;
import dev.stevedore.agent.endpoint.TaskEndpointServer;
import dev.stevedore.model.agent.NetworkInterfaceAssignment;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskCredentials;
import dev.stevedore.model.ecs.ContainerStateChange;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The task endpoints at 169.254.170.2 on the real Docker engine and the host's netfilter: each
 * test is an agent of its own (its endpoint on a free port, its routes named after its container
 * instance), whose containers ask the endpoints with busybox's wget and print the answers, which
 * the test reads from their logs once they exited.
 */
class TaskEndpointsIT extends EngineITBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Prints the credentials, the task's metadata and the container's stats, one per line. */
    private static final String ASK_EVERYTHING = "set -e; wget -qO- http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI; echo;"
            + " wget -qO- $ECS_CONTAINER_METADATA_URI_V4/task; echo; wget -qO- $ECS_CONTAINER_METADATA_URI_V4/stats; echo;"
            + " wget -qO- $ECS_CONTAINER_METADATA_URI_V4; echo; wget -qO- $ECS_CONTAINER_METADATA_URI_V4/task/stats; echo";

    private IptablesRoutes routes;
    private TaskEndpointServer server;
    private TaskEngine engine;

    @BeforeEach
    void startAgentWithEndpoints() throws Exception {
        server = TaskEndpointServer.bind(0);
        routes = IptablesRoutes.create(instance, server.port());
        engine = startEngine(runtime, reporter, settings(), routes);
        server.start(engine, runtime, instance, "EC2", "us-east-1b");
    }

    @AfterEach
    void stopEndpoints() {
        if (server != null) {
            server.close();
        }
        if (routes != null) {
            routes.keepOnly(Set.of());
            routes.unrouteHost();
        }
    }

    private static TaskCredentials credentials(String role) {
        return new TaskCredentials(UUID.randomUUID().toString(), TaskCredentials.Role.TASK, "arn:aws:iam::123456789012:role/" + role,
                "ASIA" + role.toUpperCase(), "secret-of-" + role, "token-of-" + role,
                Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS));
    }

    private ContainerStateChange awaitExited(String taskArn, String container) {
        await().atMost(PATIENCE).until(() -> reporter.container(taskArn, container).map(c -> "STOPPED".equals(c.status())).orElse(false));
        return reporter.container(taskArn, container).orElseThrow();
    }

    private List<String> stdout(String taskArn, String container) {
        return runtime.logs(runtimeId(engine, taskArn, container)).stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    private String stderr(String taskArn, String container) {
        return runtime.logs(runtimeId(engine, taskArn, container)).stderr();
    }

    private void assertAnswersItsOwnTask(String arn, TaskCredentials creds, String networkMode) throws Exception {
        ContainerStateChange app = awaitExited(arn, "app");
        assertThat(app.exitCode()).as("exit code; stderr: %s", stderr(arn, "app")).isEqualTo(0);
        List<String> lines = stdout(arn, "app");

        JsonNode got = JSON.readTree(lines.get(0));
        assertThat(got.get("RoleArn").asText()).isEqualTo(creds.roleArn());
        assertThat(got.get("AccessKeyId").asText()).isEqualTo(creds.accessKeyId());
        assertThat(got.get("SecretAccessKey").asText()).isEqualTo(creds.secretAccessKey());
        assertThat(got.get("Token").asText()).isEqualTo(creds.sessionToken());
        assertThat(got.get("Expiration").asText()).isEqualTo(creds.expiration().toString());

        JsonNode task = JSON.readTree(lines.get(1));
        assertThat(task.get("TaskARN").asText()).isEqualTo(arn);
        assertThat(task.get("Family").asText()).isEqualTo(family("endpoints"));
        assertThat(task.get("LaunchType").asText()).isEqualTo("EC2");
        assertThat(task.get("AvailabilityZone").asText()).isEqualTo("us-east-1b");
        assertThat(task.get("Containers")).singleElement().satisfies(c -> {
            assertThat(c.get("Name").asText()).isEqualTo("app");
            assertThat(c.get("DockerId").asText()).isEqualTo(runtimeId(engine, arn, "app"));
            assertThat(c.at("/Labels/com.amazonaws.ecs.task-arn").asText()).isEqualTo(arn);
            assertThat(c.at("/Networks/0/NetworkMode").asText()).isEqualTo(networkMode);
            assertThat(c.at("/Networks/0/IPv4Addresses/0").asText()).isNotEmpty();
        });

        JsonNode stats = JSON.readTree(lines.get(2));
        assertThat(stats.has("cpu_stats")).isTrue();
        assertThat(stats.has("memory_stats")).isTrue();
        assertThat(stats.get("id").asText()).isEqualTo(runtimeId(engine, arn, "app"));

        JsonNode self = JSON.readTree(lines.get(3));
        assertThat(self.get("Name").asText()).isEqualTo("app");
        assertThat(self.get("KnownStatus").asText()).isEqualTo("RUNNING");

        JsonNode taskStats = JSON.readTree(lines.get(4));
        assertThat(taskStats.get(runtimeId(engine, arn, "app")).has("cpu_stats")).isTrue();
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void aContainerKeepsGettingItsTasksNewestCredentialsAcrossRefreshesUnderNewAndSameIds() {
        TaskCredentials first = credentials("first");
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("endpoints"))
                .container(shell("app", "while true; do wget -qO- http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;"
                        + " echo; sleep 0.2; done").stopTimeout(1))
                .build();

        engine.apply(desired(task.withCredentials(List.of(first))));
        await().atMost(PATIENCE).ignoreExceptions().until(() -> String.join("\n", stdout(arn, "app")).contains("ASIAFIRST"));

        // A refresh under a new id: the container still asks with the id it was created with.
        TaskCredentials second = credentials("second");
        engine.apply(desired(task.withCredentials(List.of(second))));
        await().atMost(PATIENCE).until(() -> String.join("\n", stdout(arn, "app")).contains("ASIASECOND"));

        // A refresh under the same id.
        TaskCredentials third = new TaskCredentials(second.credentialsId(), TaskCredentials.Role.TASK, second.roleArn(),
                "ASIATHIRD", "secret-of-third", "token-of-third", second.expiration().plusSeconds(3600));
        engine.apply(desired(task.withCredentials(List.of(third))));
        await().atMost(PATIENCE).until(() -> String.join("\n", stdout(arn, "app")).contains("ASIATHIRD"));

        engine.apply(desired(TestTasks.stopped(TestTasks.reportedRunning(task), "Task stopped by user")));
        awaitTask(engine, arn, "STOPPED");
        assertThat(engine.credentials().lookup(first.credentialsId())).isEmpty();
        assertThat(engine.credentials().lookup(third.credentialsId())).isEmpty();
    }

    @Test
    void anAgentThatDoesNotServeTheEndpointsRefusesToStartATaskWithATaskRole() {
        engine.close();
        TaskEngine without = startEngine(runtime, reporter, settings(), TaskRoutes.NONE);
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("endpoints"))
                .container(shell("app", "true"))
                .build()
                .withCredentials(List.of(credentials("nowhere")));

        without.apply(desired(task));

        awaitReported(arn, "task STOPPED");
        assertThat(reporter.taskChange(arn, "STOPPED").orElseThrow().containers()).singleElement()
                .satisfies(c -> assertThat(c.reason()).startsWith("CannotCreateContainerError: the task has a task role"));
    }

    @Test
    void aHostModeContainerIsNotToldOfTheEndpointsAndAHostModeTaskWithATaskRoleDoesNotStart() {
        String plain = newTaskArn();
        TaskAssignment withoutRole = TestTasks.task(plain, family("endpoints"))
                .networkMode("host")
                .container(shell("app", "env"))
                .build();
        String withRole = newTaskArn();
        TaskAssignment roleTask = TestTasks.task(withRole, family("endpoints"))
                .networkMode("host")
                .container(shell("app", "true"))
                .build()
                .withCredentials(List.of(credentials("hostmode")));

        engine.apply(desired(withoutRole, roleTask));

        assertThat(awaitExited(plain, "app").exitCode()).isEqualTo(0);
        assertThat(stdout(plain, "app")).noneMatch(l -> l.startsWith("ECS_CONTAINER_METADATA_URI"));
        awaitReported(withRole, "task STOPPED");
        assertThat(reporter.taskChange(withRole, "STOPPED").orElseThrow().containers()).singleElement()
                .satisfies(c -> assertThat(c.reason()).contains("does not serve task credentials to the host network mode"));
    }

    @Test
    void unknownIdsAreRefusedAsEcsRefusesThem() throws Exception {
        HttpResponse<String> noId = get(server.port(), "/v2/credentials/");
        assertThat(noId.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noId.body()).get("code").asText()).isEqualTo("NoIdInRequest");
        assertThat(JSON.readTree(noId.body()).get("message").asText()).isEqualTo("CredentialsV2Request: No Credential ID in the request");

        HttpResponse<String> unknown = get(server.port(), "/v2/credentials/" + UUID.randomUUID());
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).get("code").asText()).isEqualTo("InvalidIdInRequest");
        assertThat(JSON.readTree(unknown.body()).get("message").asText()).isEqualTo("CredentialsV2Request: Credentials not found");

        for (String path : List.of("/v4/nope", "/v4/nope/task", "/v4/nope/stats", "/v4/nope/task/stats", "/v3/nope")) {
            HttpResponse<String> metadata = get(server.port(), path);
            assertThat(metadata.statusCode()).as(path).isEqualTo(404);
            assertThat(JSON.readTree(metadata.body()).asText()).as(path).contains("handler");
        }
    }

    @Test
    void aBridgeTaskGetsItsOwnCredentialsAndMetadataAndAnotherTaskIsRefusedThem() throws Exception {
        TaskCredentials creds = credentials("bridgeapp");
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("endpoints"))
                .container(shell("app", ASK_EVERYTHING))
                .build()
                .withCredentials(List.of(creds));

        engine.apply(desired(task));
        assertAnswersItsOwnTask(arn, creds, "bridge");

        String thief = newTaskArn();
        TaskAssignment other = TestTasks.task(thief, family("thief"))
                .container(shell("app", "wget -qO- http://169.254.170.2/v2/credentials/" + creds.credentialsId()))
                .build();
        engine.apply(desired(task, other));
        ContainerStateChange refused = awaitExited(thief, "app");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(stderr(thief, "app")).contains("400");

        awaitTask(engine, arn, "STOPPED");
        await().atMost(PATIENCE).until(() -> engine.credentials().lookup(creds.credentialsId()).isEmpty());
        // A stopped task's id stays refused, also when the control plane still lists the task with it.
        engine.apply(desired(task, other));
        assertThat(engine.credentials().lookup(creds.credentialsId())).isEmpty();
    }

    @Test
    void theExecutionRolesCredentialsGoToTheHostThroughItsRouteAndNeverToTheTasksOwnContainer() throws Exception {
        TaskCredentials execution = new TaskCredentials(UUID.randomUUID().toString(), TaskCredentials.Role.EXECUTION,
                "arn:aws:iam::123456789012:role/ecsTaskExecutionRole", "ASIAEXECUTION", "secret-of-execution",
                "token-of-execution", Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS));
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("endpoints"))
                .container(shell("app", "wget -qO- http://169.254.170.2/v2/credentials/" + execution.credentialsId()
                        + " 2>&1; echo wget-exit=$?; exec sleep 600"))
                .build()
                .withCredentials(List.of(credentials("app"), execution));
        routes.routeHost();

        engine.apply(desired(task));
        // The task keeps running: a stopped task's credentials are refused to everyone.
        await().atMost(PATIENCE).ignoreExceptions().until(() -> String.join("\n", stdout(arn, "app")).contains("wget-exit="));
        assertThat(String.join("\n", stdout(arn, "app"))).contains("400").contains("wget-exit=1")
                .doesNotContain("ASIAEXECUTION");

        // What the Docker daemon asks: 169.254.170.2 with this agent's port, from the host itself.
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> host = http.send(HttpRequest.newBuilder(URI.create("http://169.254.170.2:" + server.port()
                    + "/v2/credentials/" + execution.credentialsId())).timeout(PATIENCE).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(host.statusCode()).as(host.body()).isEqualTo(200);
            assertThat(JSON.readTree(host.body()).get("AccessKeyId").asText()).isEqualTo("ASIAEXECUTION");
        }
    }

    @Test
    void anAwsvpcTaskGetsItsOwnCredentialsAndMetadataAndAnotherTaskOnTheSubnetIsRefusedThem() throws Exception {
        String subnet = "subnet-it" + testId.replace("-", "");
        trackNetwork(SubnetNetworks.networkName(subnet));
        NetworkInterfaceAssignment eni = TestTasks.eni(subnet, "10.213.20.0/24", "10.213.20.10");
        NetworkInterfaceAssignment otherEni = TestTasks.eni(subnet, "10.213.20.0/24", "10.213.20.11");
        TaskCredentials creds = credentials("vpcapp");
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("endpoints"))
                .awsvpc(eni)
                .container(shell("app", ASK_EVERYTHING))
                .build()
                .withCredentials(List.of(creds));
        String thief = newTaskArn();
        TaskAssignment other = TestTasks.task(thief, family("thief"))
                .awsvpc(otherEni)
                .container(shell("app", "wget -qO- http://169.254.170.2/v2/credentials/" + creds.credentialsId()))
                .build()
                .withCredentials(List.of(credentials("thief")));

        engine.apply(desired(task, other));

        assertAnswersItsOwnTask(arn, creds, "awsvpc");
        ContainerStateChange refused = awaitExited(thief, "app");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(stderr(thief, "app")).contains("400");
        awaitTask(engine, arn, "STOPPED");
        await().atMost(PATIENCE).until(() -> engine.credentials().lookup(creds.credentialsId()).isEmpty());
    }
}
