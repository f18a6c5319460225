package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
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
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The awslogs log driver end to end: a task's container with {@code logConfiguration} awslogs is
 * shipped by the host's Docker daemon (its own awslogs driver) to the control plane's CloudWatch
 * Logs API, signed with the task's execution role's credentials that the daemon fetches from the
 * agent through the host route; read back with the unmodified AWS CLI ({@code aws logs tail
 * --follow}, {@code get-log-events}). The control plane listens on the loopback address, which the
 * daemon on this host reaches; the agent is its own process, restarted on the same task endpoint
 * port as an operator's agent would be.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@UsesDockerEngineAlone
class AwsLogsOnDockerIT {
    static final String IMAGE = TaskRoleOnDockerIT.IMAGE;

    final String suffix = Long.toHexString(System.nanoTime());
    final String cluster = "logs-" + suffix;
    final String group = "/ecs/printer-" + suffix;
    final int agentPort = StevedoreProcess.freePort();
    Path root;
    InProcessStevedore stevedore;
    AgentProcess agent;
    EcsClient ecs;
    AwsCli cli;
    String executionRoleArn;
    AgentProcess platformHost;
    String fargateSubnet;
    final List<String> fargateTasks = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        root = Files.createTempDirectory("stevedore-awslogs");
        stevedore = InProcessStevedore.start(root.resolve("server"));
        ecs = stevedore.ecs();
        cli = new AwsCli(stevedore.plane.endpoint());
        ecs.createCluster(b -> b.clusterName(cluster));
        String role = "logs-execution-" + suffix;
        executionRoleArn = cli.ok("iam", "create-role", "--role-name", role, "--assume-role-policy-document",
                TaskRoleOnDockerIT.trustedBy("ecs-tasks.amazonaws.com")).at("/Role/Arn").asText();
        // AmazonECSTaskExecutionRolePolicy has no logs:CreateLogGroup, which awslogs-create-group needs.
        cli.ok("iam", "put-role-policy", "--role-name", role, "--policy-name", "ship-logs", "--policy-document",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogGroup\","
                        + "\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"*\"}]}");
        cli.ok("logs", "create-log-group", "--log-group-name", group);
        agent = startAgent();
    }

    AgentProcess startAgent() {
        AgentProcess started = AgentProcess.start(stevedore.plane.port(), cluster, root.resolve("agent"), "i-0000000000000a4e1",
                "us-east-1a", 2048, 2048, agentPort);
        await().atMost(Duration.ofSeconds(60)).until(this::agentConnected);
        return started;
    }

    @AfterAll
    void stop() {
        TaskRoleOnDockerIT.stopAll(cluster, ecs, agent, platformHost, stevedore);
        // The platform pool's containers carry the pool's cluster, which other tests' hosts share: only this test's go.
        fargateTasks.forEach(arn -> Docker.removeLabelled("com.amazonaws.ecs.task-arn", arn));
        if (fargateSubnet != null) {
            Docker.removeSubnetNetwork(fargateSubnet);
        }
    }

    boolean agentConnected() {
        List<String> arns = ecs.listContainerInstances(b -> b.cluster(cluster)).containerInstanceArns();
        return !arns.isEmpty() && ecs.describeContainerInstances(b -> b.cluster(cluster).containerInstances(arns))
                .containerInstances().stream().anyMatch(ContainerInstance::agentConnected);
    }

    /** A task of one busybox container "app" running {@code script}, shipping with awslogs. */
    void register(String family, Map<String, String> options, boolean executionRole, String script) {
        ecs.registerTaskDefinition(b -> {
            b.family(family).containerDefinitions(ContainerDefinition.builder()
                    .name("app").image(IMAGE).memory(128).essential(true).stopTimeout(2)
                    .logConfiguration(LogConfiguration.builder().logDriver("awslogs").options(options).build())
                    .command("sh", "-c", script).build());
            if (executionRole) {
                b.executionRoleArn(executionRoleArn);
            }
        });
    }

    Map<String, String> options(String logGroup, String prefix) {
        return Map.of("awslogs-group", logGroup, "awslogs-region", InProcessStevedore.REGION,
                "awslogs-stream-prefix", prefix);
    }

    /** Prints {@code line-0001} … {@code line-N}, {@code pause} (busybox usleep microseconds) apart. */
    static String printLines(int n, int pauseMicros) {
        return "i=1; while [ $i -le " + n + " ]; do printf 'line-%04d\\n' $i; "
                + (pauseMicros > 0 ? "usleep " + pauseMicros + "; " : "") + "i=$((i+1)); done";
    }

    static List<String> expectedLines(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> String.format("line-%04d", i)).toList();
    }

    String run(String family) {
        RunTaskResponse r = ecs.runTask(b -> b.cluster(cluster).taskDefinition(family));
        assertThat(r.failures()).isEmpty();
        return r.tasks().get(0).taskArn();
    }

    ClusterTasks tasks() {
        return new ClusterTasks(ecs, cluster);
    }

    static String taskId(String taskArn) {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    /** Every message of a stream from its head, following nextForwardToken until it stops moving. */
    List<String> messages(String logGroup, String stream) {
        List<String> out = new ArrayList<>();
        String token = null;
        while (true) {
            List<String> args = new ArrayList<>(List.of("logs", "get-log-events", "--log-group-name", logGroup,
                    "--log-stream-name", stream, "--start-from-head"));
            if (token != null) {
                args.addAll(List.of("--next-token", token));
            }
            JsonNode page = cli.ok(args.toArray(String[]::new));
            page.path("events").forEach(e -> out.add(e.path("message").asText()));
            String next = page.path("nextForwardToken").asText();
            if (next.equals(token)) {
                return out;
            }
            token = next;
        }
    }

    /** Waits until the stream holds {@code n} messages (or more, which the assertion after it shows). */
    List<String> awaitMessages(String logGroup, String stream, int n) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> messages(logGroup, stream).size() >= n);
        return messages(logGroup, stream);
    }

    @Test
    @Order(1)
    void linesFollowedWithTailAreInTheStreamPrefixContainerTaskIdOnceAndInOrder() throws Exception {
        Map<String, String> options = new java.util.HashMap<>(options(group, "web"));
        options.putAll(Map.of("mode", "non-blocking", "max-buffer-size", "4m"));
        register("printer", options, true, printLines(300, 0) + "; sleep 600");
        Process tail = cli.command("logs", "tail", group, "--follow", "--format", "short").start();
        List<String> followed = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> readLines(tail, followed));
        try {
            String task = run("printer");
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> followed.stream().anyMatch(l -> l.endsWith(" line-0300")));
            assertThat(tasks().describe(task).lastStatus()).isEqualTo("RUNNING");

            List<String> tailed = followed.stream().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
            assertThat(tailed).isEqualTo(expectedLines(300));
            assertThat(messages(group, "web/app/" + taskId(task))).isEqualTo(expectedLines(300));
            // What the daemon was given: ECS's stream name, Docker's own delivery options, this
            // agent's endpoint and the execution role's credentials at this agent's port.
            String config = Docker.run("inspect", "-f", "{{json .HostConfig.LogConfig}}",
                    tasks().describe(task).containers().get(0).runtimeId());
            JsonNode log = new com.fasterxml.jackson.databind.ObjectMapper().readTree(config);
            assertThat(log.path("Type").asText()).isEqualTo("awslogs");
            assertThat(log.path("Config").path("awslogs-stream").asText()).isEqualTo("web/app/" + taskId(task));
            assertThat(log.path("Config").path("mode").asText()).isEqualTo("non-blocking");
            assertThat(log.path("Config").path("max-buffer-size").asText()).isEqualTo("4m");
            assertThat(log.path("Config").path("awslogs-endpoint").asText()).isEqualTo(stevedore.plane.endpoint());
            assertThat(log.path("Config").path("awslogs-credentials-endpoint").asText())
                    .matches(":" + agentPort + "/v2/credentials/[0-9a-f-]+");
            assertThat(log.path("Config").has("awslogs-stream-prefix")).isFalse();
            ecs.stopTask(b -> b.cluster(cluster).task(task));
        } finally {
            tail.destroy();
            reader.join(Duration.ofSeconds(10));
        }
    }

    private static void readLines(Process p, List<String> into) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    into.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Order(2)
    void aMissingGroupWithoutCreateGroupStopsTheTaskWithDockersErrorAsEcsShowsIt() {
        register("no-group", options("/ecs/missing-" + suffix, "web"), true, "echo never");

        String task = run("no-group");
        Task stopped = tasks().awaitStatus(task, "STOPPED");

        assertThat(stopped.stoppedReason()).startsWith(
                "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: ")
                .contains("ResourceNotFoundException").contains("The specified log group does not exist.");
        assertThat(stopped.stopCode().toString()).isEqualTo("TaskFailedToStart");
        assertThat(cli.ok("logs", "describe-log-groups", "--log-group-name-prefix", "/ecs/missing-" + suffix)
                .path("logGroups")).isEmpty();
    }

    @Test
    @Order(3)
    void withCreateGroupTheGroupIsCreatedAndTheLinesArrive() {
        String created = "/ecs/created-" + suffix;
        Map<String, String> options = new java.util.HashMap<>(options(created, "made"));
        options.put("awslogs-create-group", "true");
        register("create-group", options, true, printLines(20, 0));

        String task = run("create-group");
        tasks().awaitStatus(task, "STOPPED");

        assertThat(cli.ok("logs", "describe-log-groups", "--log-group-name-prefix", created).path("logGroups"))
                .singleElement().satisfies(g -> assertThat(g.path("logGroupName").asText()).isEqualTo(created));
        assertThat(awaitMessages(created, "made/app/" + taskId(task), 20)).isEqualTo(expectedLines(20));
    }

    @Test
    @Order(4)
    void withoutAnExecutionRoleTheContainerDoesNotStartAndTheReasonSaysWhy() {
        register("no-role", options(group, "web"), false, "echo never");

        Task stopped = tasks().awaitStatus(run("no-role"), "STOPPED");

        assertThat(stopped.stoppedReason()).startsWith("CannotStartContainerError: ").contains("execution role");
    }

    @Test
    @Order(5)
    void restartingTheAgentWhileATaskPrintsLosesAndDuplicatesNothing() throws Exception {
        // 400 lines 25 ms apart: about ten seconds, across the agent's stop and start.
        register("steady", options(group, "steady"), true, printLines(400, 25_000));
        String task = run("steady");
        String stream = "steady/app/" + taskId(task);
        awaitMessages(group, stream, 1);

        agent.close();
        Thread.sleep(2_000);
        agent = startAgent();

        tasks().awaitStatus(task, "STOPPED");
        assertThat(awaitMessages(group, stream, 400)).isEqualTo(expectedLines(400));
    }

    @Test
    @Order(6)
    void aFargateTaskShipsThroughThePlatformHostsAgentWhileTheClusterAgentShipsItsOwnOnTheSameHost() {
        // A second agent on this host, with a task endpoint port of its own: the host route of each
        // agent is told apart by that port in the daemon's credentials address.
        platformHost = AgentProcess.startPlatformHost(stevedore.plane.port(), root.resolve("platform-host"),
                "i-0000000000000a4f1", "us-east-1a", 4096, 4096);
        await().atMost(Duration.ofSeconds(60)).until(() -> platformHost.output().contains("Stevedore agent running"));
        try (var ec2 = stevedore.ec2()) {
            String vpc = ec2.createVpc(b -> b.cidrBlock("10.231.0.0/16")).vpc().vpcId();
            fargateSubnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.231.7.0/24").availabilityZone("us-east-1a"))
                    .subnet().subnetId();
        }
        ecs.registerTaskDefinition(b -> b.family("fargate-printer").networkMode("awsvpc")
                .requiresCompatibilities(software.amazon.awssdk.services.ecs.model.Compatibility.FARGATE)
                .cpu("256").memory("512").executionRoleArn(executionRoleArn)
                .containerDefinitions(ContainerDefinition.builder().name("app").image(IMAGE).essential(true)
                        .logConfiguration(LogConfiguration.builder().logDriver("awslogs").options(options(group, "fg")).build())
                        .command("sh", "-c", printLines(50, 0)).build()));
        register("ec2-printer", options(group, "ec2"), true, printLines(50, 0));

        String fargate = ecs.runTask(b -> b.cluster(cluster).taskDefinition("fargate-printer")
                .launchType(software.amazon.awssdk.services.ecs.model.LaunchType.FARGATE)
                .networkConfiguration(n -> n.awsvpcConfiguration(v -> v.subnets(fargateSubnet)))).tasks().get(0).taskArn();
        fargateTasks.add(fargate);
        String ec2Task = run("ec2-printer");

        assertThat(awaitMessages(group, "fg/app/" + taskId(fargate), 50)).isEqualTo(expectedLines(50));
        assertThat(awaitMessages(group, "ec2/app/" + taskId(ec2Task), 50)).isEqualTo(expectedLines(50));
    }
}
