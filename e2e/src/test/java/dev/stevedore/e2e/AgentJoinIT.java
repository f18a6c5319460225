package dev.stevedore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.api.EcsApiException;
import dev.stevedore.agent.api.InstanceCredentials;
import dev.stevedore.agent.api.InstanceCredentialsClient;
import dev.stevedore.agent.channel.ChannelUrlSigner;
import dev.stevedore.agent.credentials.InstanceCredentialsFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.LaunchType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * An agent that joins with a token, seen from outside: {@code bin/stevedore token create --cluster web}
 * against a running server, a real {@code stevedore agent --join-token} process started with no keys of
 * anyone in its environment. It registers into {@code web} and runs a task on Docker, while the root's
 * keys are nowhere in its files, its log or its environment; the token joins no second agent; the
 * joined credentials register nowhere but {@code web}; a signer whose policies do not allow
 * {@code ecs:Poll} gets no channel; and once the token is revoked the credentials are refreshed no more.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@UsesDockerEngine
class AgentJoinIT {
    static final String IMAGE = "stevedore-test/busybox:latest";
    static final Pattern TOKEN = Pattern.compile("stvjoin\\.\\d{12}\\.[a-z0-9]{16}\\.[A-Za-z0-9_-]{43}");
    static final Duration WAIT = Duration.ofSeconds(60);
    final String cluster = "web-" + Long.toHexString(System.nanoTime());
    final String instanceId = "i-0000000000000a901";
    Path root;
    StevedoreProcess server;
    EcsClient ecs;
    String token;
    AgentProcess agent;

    @BeforeAll
    void start() throws Exception {
        root = Files.createTempDirectory("stevedore-join");
        server = StevedoreProcess.start(root.resolve("server"), StevedoreProcess.freePort());
        ecs = server.ecs();
        ecs.createCluster(b -> b.clusterName(cluster));
        StevedoreProcess.CommandResult created = server.command("token create", "--cluster", cluster);
        assertThat(created.exitCode()).as(created.output()).isZero();
        Matcher m = TOKEN.matcher(created.output());
        assertThat(m.find()).as(created.output()).isTrue();
        token = m.group();
        agent = AgentProcess.startJoined(server.port, token, root.resolve("agent"), instanceId, "us-east-1a", 1024, 1024);
    }

    @AfterAll
    void stop() {
        if (agent != null) {
            agent.close();
        }
        Docker.removeCluster(clusterArn());
        if (ecs != null) {
            ecs.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private String clusterArn() {
        return "arn:aws:ecs:" + InProcessStevedore.REGION + ":" + InProcessStevedore.ACCOUNT + ":cluster/" + cluster;
    }

    @Test
    @Order(1)
    void theJoinedAgentRegistersIntoTheTokensClusterAndRunsATaskOnDocker() {
        ContainerInstance instance = await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
            List<String> arns = ecs.listContainerInstances(b -> b.cluster(cluster)).containerInstanceArns();
            return arns.isEmpty() ? null : ecs.describeContainerInstances(b -> b.cluster(cluster).containerInstances(arns))
                    .containerInstances().get(0);
        }, i -> i != null && Boolean.TRUE.equals(i.agentConnected()));
        assertThat(instance.ec2InstanceId()).isEqualTo(instanceId);
        assertThat(agent.output()).contains("signing as arn:aws:iam::" + InProcessStevedore.ACCOUNT + ":role/ecsInstanceRole");

        ecs.registerTaskDefinition(b -> b.family("joined").requiresCompatibilities(Compatibility.EC2)
                .containerDefinitions(ContainerDefinition.builder().name("sleeper").image(IMAGE).essential(true)
                        .memory(32).stopTimeout(2).command("sleep", "3600").build()));
        String task = ecs.runTask(b -> b.cluster(cluster).taskDefinition("joined").launchType(LaunchType.EC2))
                .tasks().get(0).taskArn();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> "RUNNING".equals(
                ecs.describeTasks(b -> b.cluster(cluster).tasks(task)).tasks().get(0).lastStatus()));
        assertThat(Docker.running(clusterArn(), "joined")).hasSize(1);
        ecs.stopTask(b -> b.cluster(cluster).task(task));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> "STOPPED".equals(
                ecs.describeTasks(b -> b.cluster(cluster).tasks(task)).tasks().get(0).lastStatus()));
    }

    @Test
    @Order(2)
    void theRootsKeysAreNowhereInTheAgentsFilesLogOrEnvironment() throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(agent.dataDir)) {
            all.filter(Files::isRegularFile).forEach(files::add);
        }
        // What the agent keeps is there to be searched: its own temporary keys, which are not the root's.
        Path kept = InstanceCredentialsFile.in(agent.dataDir).path();
        assertThat(files).contains(kept);
        assertThat(kept().credentials().accessKeyId()).startsWith("ASIA");
        assertThat(Files.readString(kept)).contains(kept().credentials().accessKeyId());
        files.add(agent.dataDir.resolveSibling(agent.dataDir.getFileName() + ".log"));
        for (Path file : files) {
            assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString())
                    .doesNotContain(InProcessStevedore.SECRET_KEY).doesNotContain(InProcessStevedore.ACCESS_KEY)
                    .doesNotContain(token);
        }

        String environment = Files.readString(Path.of("/proc", Long.toString(agent.process.pid()), "environ"),
                StandardCharsets.ISO_8859_1);
        assertThat(environment).contains("AWS_REGION=" + InProcessStevedore.REGION)
                .doesNotContain(InProcessStevedore.SECRET_KEY).doesNotContain(InProcessStevedore.ACCESS_KEY)
                .doesNotContain("AWS_ACCESS_KEY_ID").doesNotContain("STEVEDORE_SECRET_ACCESS_KEY");
    }

    @Test
    @Order(3)
    void theTokenJoinsNoSecondAgent() throws Exception {
        AgentProcess second = AgentProcess.startJoined(server.port, token, root.resolve("second-agent"),
                "i-0000000000000a902", "us-east-1a", 1024, 1024);
        try {
            assertThat(second.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.process.exitValue()).isEqualTo(1);
            assertThat(second.output()).contains("was already used; a token joins one agent once");
        } finally {
            second.close();
        }
        assertThat(ecs.listContainerInstances(b -> b.cluster(cluster)).containerInstanceArns()).hasSize(1);
    }

    @Test
    @Order(4)
    void theJoinedCredentialsRegisterIntoNoOtherCluster() throws Exception {
        InstanceCredentials joined = kept();
        try (EcsClient asAgent = EcsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.port))
                .region(Region.of(InProcessStevedore.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        joined.credentials().accessKeyId(), joined.credentials().secretAccessKey(),
                        joined.credentials().sessionToken().orElseThrow())))
                .build()) {
            assertThatThrownBy(() -> asAgent.registerContainerInstance(b -> b.cluster("default")))
                    .isInstanceOfSatisfying(EcsException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                        assertThat(e.awsErrorDetails().errorMessage()).contains(
                                ":assumed-role/ecsInstanceRole/join-", "is not authorized to perform: "
                                        + "ecs:RegisterContainerInstance on resource: arn:aws:ecs:us-east-1:"
                                        + InProcessStevedore.ACCOUNT + ":cluster/default",
                                "explicit deny in a session policy");
                    });
        }
        assertThat(ecs.listContainerInstances(b -> b.cluster("default")).containerInstanceArns()).isEmpty();
    }

    @Test
    @Order(5)
    void aSignerNotAllowedEcsPollGetsNoChannel() throws Exception {
        AwsCli root = new AwsCli("http://127.0.0.1:" + server.port);
        root.ok("iam", "create-user", "--user-name", "no-poll");
        JsonNode key = root.ok("iam", "create-access-key", "--user-name", "no-poll").path("AccessKey");
        String instance = ecs.listContainerInstances(b -> b.cluster(cluster)).containerInstanceArns().get(0);
        URI url = new ChannelUrlSigner(AgentCredentials.of(key.path("AccessKeyId").asText(),
                key.path("SecretAccessKey").asText()), InProcessStevedore.REGION, Duration.ofMinutes(1), Clock.systemUTC())
                .sign(URI.create("http://127.0.0.1:" + server.port), instance);

        try (HttpClient http = HttpClient.newHttpClient()) {
            Throwable refused = catchThrowable(() -> http.newWebSocketBuilder()
                    .buildAsync(url, new WebSocket.Listener() { }).join());
            assertThat(refused).hasCauseInstanceOf(WebSocketHandshakeException.class);
            assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode()).isEqualTo(403);
        }
        // The joined agent, whose role allows it, keeps its channel.
        assertThat(ecs.describeContainerInstances(b -> b.cluster(cluster).containerInstances(instance))
                .containerInstances().get(0).agentConnected()).isTrue();
    }

    @Test
    @Order(6)
    void aRevokedTokensCredentialsAreRefreshedNoMore() throws Exception {
        InstanceCredentials joined = kept();
        String tokenId = token.split("\\.")[2];
        try (InstanceCredentialsClient client = InstanceCredentialsClient.create(
                URI.create("http://127.0.0.1:" + server.port), InProcessStevedore.REGION, Clock.systemUTC())) {
            InstanceCredentials fresh = client.refresh(joined.credentials());
            assertThat(fresh.credentials().accessKeyId()).startsWith("ASIA").isNotEqualTo(joined.credentials().accessKeyId());

            StevedoreProcess.CommandResult revoked = server.command("token revoke", tokenId);
            assertThat(revoked.exitCode()).as(revoked.output()).isZero();
            assertThat(revoked.output()).contains("\"revokedAt\"");

            for (InstanceCredentials held : List.of(joined, fresh)) {
                assertThatThrownBy(() -> client.refresh(held.credentials())).isInstanceOf(EcsApiException.class)
                        .hasMessageContaining("The join token " + tokenId + " was revoked");
            }
        }
    }

    private InstanceCredentials kept() {
        return InstanceCredentialsFile.in(agent.dataDir).read().orElseThrow().credentials();
    }
}
