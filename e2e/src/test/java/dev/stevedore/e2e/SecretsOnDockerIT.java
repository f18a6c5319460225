package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Secrets in task definitions end to end, driven by the AWS CLI v2: a task gets a SecureString and a
 * JSON key of a Secrets Manager secret as variables, read by its agent with the task's execution role;
 * a rotated secret reaches the next task; an execution role without {@code ssm:GetParameters} (AWS's
 * AmazonECSTaskExecutionRolePolicy alone) or a missing parameter stops the task before any container
 * exists, with ECS's reason; no value shows in what the API answers, the agent prints or keeps on disk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@UsesDockerEngine
class SecretsOnDockerIT {
    static final String IMAGE = "stevedore-test/busybox:latest";
    static final String ACCOUNT = InProcessStevedore.ACCOUNT;
    static final String REASON = "ResourceInitializationError: unable to pull secrets or registry auth: "
            + "execution resource retrieval failed: ";
    static final ObjectMapper JSON = new ObjectMapper();
    /** bcrypt (cost 4) of {@link #REGISTRY_PASSWORD}: the only hash format docker-registry's htpasswd takes. */
    static final String HTPASSWD = "stevedore:$2b$04$2VpNKrjuKrAaARDCe705rO68W26hefNZmVylFcVvRsf7el1wCYoLu\n";
    static final String REGISTRY_PASSWORD = "stevedore-secret";

    final String suffix = Long.toHexString(System.nanoTime());
    final String cluster = "secrets-" + suffix;
    final String parameter = "/secrets-it-" + suffix + "/db/password";
    final String password = "pw-" + UUID.randomUUID();
    final String token = "tok-" + UUID.randomUUID();
    final String rotatedToken = "tok2-" + UUID.randomUUID();
    Path root;
    InProcessStevedore stevedore;
    AgentProcess agent;
    EcsClient ecs;
    AwsCli cli;
    String secretArn;
    String executionRoleArn;
    String ecsPolicyOnlyRoleArn;

    @BeforeAll
    void start() throws Exception {
        root = Files.createTempDirectory("stevedore-ssm-asm");
        stevedore = InProcessStevedore.start(root.resolve("server"));
        ecs = stevedore.ecs();
        cli = new AwsCli(stevedore.plane.endpoint());
        cli.ok("ecs", "create-cluster", "--cluster-name", cluster);
        agent = AgentProcess.start(stevedore.endpoint().getPort(), cluster, root.resolve("agent"), "i-0000000000005ec01",
                "us-east-1a", 2048, 2048);

        cli.ok("ssm", "put-parameter", "--name", parameter, "--type", "SecureString", "--value", password);
        secretArn = cli.ok("secretsmanager", "create-secret", "--name", "secrets-it-" + suffix, "--secret-string",
                "{\"user\":\"admin\",\"token\":\"" + token + "\"}").path("ARN").asText();
        // The application's whole path, so that a parameter missing from it is not found rather than denied.
        String parameters = "arn:aws:ssm:" + InProcessStevedore.REGION + ":" + ACCOUNT + ":parameter/secrets-it-" + suffix
                + "/*";

        executionRoleArn = cli.ok("iam", "create-role", "--role-name", "exec-" + suffix, "--assume-role-policy-document",
                TaskRoleOnDockerIT.trustedBy("ecs-tasks.amazonaws.com")).at("/Role/Arn").asText();
        cli.ok("iam", "put-role-policy", "--role-name", "exec-" + suffix, "--policy-name", "read-secrets",
                "--policy-document", "{\"Version\":\"2012-10-17\",\"Statement\":["
                        + "{\"Effect\":\"Allow\",\"Action\":\"ssm:GetParameters\",\"Resource\":\"" + parameters + "\"},"
                        + "{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\""
                        + "arn:aws:secretsmanager:" + InProcessStevedore.REGION + ":" + ACCOUNT + ":secret:secrets-it-" + suffix
                        + "*\"}]}");
        ecsPolicyOnlyRoleArn = cli.ok("iam", "create-role", "--role-name", "exec-ecs-only-" + suffix,
                "--assume-role-policy-document", TaskRoleOnDockerIT.trustedBy("ecs-tasks.amazonaws.com"))
                .at("/Role/Arn").asText();
        cli.ok("iam", "attach-role-policy", "--role-name", "exec-ecs-only-" + suffix, "--policy-arn",
                "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");

        register("with-secrets", executionRoleArn, Map.of("DB_PASSWORD", parameter, "API_TOKEN", secretArn + ":token::",
                "DB_USER", secretArn + ":user::", "BY_ARN", "arn:aws:ssm:" + InProcessStevedore.REGION + ":" + ACCOUNT
                        + ":parameter" + parameter));
        register("previous-token", executionRoleArn, Map.of("API_TOKEN", secretArn + ":token:AWSPREVIOUS:"));
        register("ecs-policy-only", ecsPolicyOnlyRoleArn, Map.of("DB_PASSWORD", parameter));
        register("missing-parameter", executionRoleArn, Map.of("DB_PASSWORD", parameter + "-missing"));
        register("long-running", executionRoleArn, Map.of("DB_PASSWORD", parameter), "exec sleep 600");
        await().atMost(Duration.ofSeconds(60)).until(() -> new ClusterTasks(ecs, cluster).agentConnected());
    }

    @AfterAll
    void stop() {
        Closeables.closeAll(ecs, agent, stevedore);
        Docker.removeCluster(InProcessStevedore.arnIn(InProcessStevedore.REGION, "cluster/" + cluster));
    }

    /** A one-container task that prints the variables its secrets become and exits. */
    void register(String family, String executionRole, Map<String, String> secrets) {
        register(family, executionRole, secrets, "echo done");
    }

    /** A one-container task that prints the variables its secrets become, then runs {@code then}. */
    void register(String family, String executionRole, Map<String, String> secrets, String then) {
        ObjectNode def = JSON.createObjectNode();
        def.put("family", family + "-" + suffix).put("executionRoleArn", executionRole);
        ObjectNode container = def.putArray("containerDefinitions").addObject();
        container.put("name", "app").put("image", IMAGE).put("memory", 64).put("essential", true);
        StringBuilder script = new StringBuilder();
        ArrayNode list = container.putArray("secrets");
        secrets.forEach((name, valueFrom) -> {
            list.addObject().put("name", name).put("valueFrom", valueFrom);
            script.append("echo ").append(name).append("=$").append(name).append("; ");
        });
        // A plain variable of a secret's name loses to the secret, as on ECS.
        container.putArray("environment").addObject().put("name", "DB_PASSWORD").put("value", "not-the-secret");
        container.putArray("command").add("sh").add("-c").add(script + then);
        cli.ok("ecs", "register-task-definition", "--cli-input-json", def.toString());
    }

    String run(String family) {
        JsonNode r = cli.ok("ecs", "run-task", "--cluster", cluster, "--task-definition", family + "-" + suffix);
        assertThat(r.path("failures")).isEmpty();
        return r.at("/tasks/0/taskArn").asText();
    }

    Task awaitStopped(String taskArn) {
        return new ClusterTasks(ecs, cluster).awaitStatus(taskArn, "STOPPED");
    }

    String output(Task task) {
        return Optional.ofNullable(task.containers().get(0).runtimeId()).map(Docker::logs).orElse("");
    }

    /** Every secret value the test made, none of which may show anywhere but in the task's own variables. */
    List<String> values() {
        return List.of(password, token, rotatedToken, REGISTRY_PASSWORD);
    }

    void assertNoValueIn(String what, String text) {
        for (String value : values()) {
            assertThat(text).as(what).doesNotContain(value);
        }
    }

    @Test
    @Order(1)
    void theTaskGetsTheSecureStringAndAJsonKeyOfTheSecretAsVariables() {
        String taskArn = run("with-secrets");
        Task stopped = awaitStopped(taskArn);

        String out = output(stopped);
        assertThat(out).as(out).contains("DB_PASSWORD=" + password + "\n").contains("API_TOKEN=" + token + "\n")
                .contains("DB_USER=admin\n").contains("BY_ARN=" + password + "\n").contains("done");
        assertThat(stopped.containers().get(0).exitCode()).isZero();
        assertThat(stopped.stopCode()).hasToString("EssentialContainerExited");

        assertNoValueIn("describe-tasks", cli.ok("ecs", "describe-tasks", "--cluster", cluster, "--tasks", taskArn)
                .toString());
        assertNoValueIn("describe-task-definition", cli.ok("ecs", "describe-task-definition", "--task-definition",
                "with-secrets-" + suffix).toString());
    }

    @Test
    @Order(2)
    void aRotatedSecretReachesTheNextTask() {
        cli.ok("secretsmanager", "put-secret-value", "--secret-id", secretArn, "--secret-string",
                "{\"user\":\"admin\",\"token\":\"" + rotatedToken + "\"}");

        String out = output(awaitStopped(run("with-secrets")));

        assertThat(out).as(out).contains("API_TOKEN=" + rotatedToken + "\n").contains("DB_PASSWORD=" + password + "\n");
        String previous = output(awaitStopped(run("previous-token")));
        assertThat(previous).as(previous).contains("API_TOKEN=" + token + "\n");
    }

    @Test
    @Order(3)
    void anExecutionRoleWithoutSsmGetParametersStopsTheTaskBeforeAnyContainerIsCreated() {
        String taskArn = run("ecs-policy-only");
        Task stopped = awaitStopped(taskArn);

        String session = "arn:aws:sts::" + ACCOUNT + ":assumed-role/exec-ecs-only-" + suffix + "/"
                + taskArn.substring(taskArn.lastIndexOf('/') + 1);
        assertThat(stopped.stopCodeAsString()).isEqualTo("TaskFailedToStart");
        assertThat(stopped.stoppedReason()).startsWith(REASON + "unable to retrieve secrets from ssm: service call has "
                + "been retried 1 time(s): AccessDeniedException: User: " + session + " is not authorized to perform: "
                + "ssm:GetParameters on resource: arn:aws:ssm:" + InProcessStevedore.REGION + ":" + ACCOUNT + ":parameter"
                + parameter);
        assertThat(stopped.containers().get(0).runtimeId()).isNull();
        assertThat(Docker.containers("com.amazonaws.ecs.task-arn", taskArn)).isEmpty();
        assertNoValueIn("stoppedReason", stopped.stoppedReason());
    }

    @Test
    @Order(4)
    void aMissingParameterStopsTheTaskNamingIt() {
        Task stopped = awaitStopped(run("missing-parameter"));

        assertThat(stopped.stopCodeAsString()).isEqualTo("TaskFailedToStart");
        assertThat(stopped.stoppedReason()).isEqualTo(REASON + "unable to retrieve secrets from ssm: invalid parameters: "
                + parameter + "-missing");
        assertThat(stopped.containers().get(0).runtimeId()).isNull();
    }

    @Test
    @Order(5)
    void aPrivateImageIsPulledWithTheRegistryCredentialsOfItsSecretAndNotWithWrongOnes() throws IOException {
        Path work = Files.createDirectories(root.resolve("registry"));
        Path storage = Files.createDirectories(work.resolve("storage"));
        String repository = "stevedore-e2e/secrets-" + suffix + ":1";
        try (PrivateRegistry open = PrivateRegistry.start(work, storage, Optional.empty())) {
            Docker.run("tag", IMAGE, open.host() + "/" + repository);
            assertThat(Docker.run("push", open.host() + "/" + repository)).contains("digest:");
            Docker.run("rmi", open.host() + "/" + repository);
        }
        Path htpasswd = Files.writeString(work.resolve("htpasswd"), HTPASSWD);
        try (PrivateRegistry secured = PrivateRegistry.start(work, storage, Optional.of(htpasswd))) {
            String image = secured.host() + "/" + repository;
            cli.ok("secretsmanager", "create-secret", "--name", "secrets-it-" + suffix + "-registry", "--secret-string",
                    "{\"username\":\"stevedore\",\"password\":\"" + REGISTRY_PASSWORD + "\"}");
            cli.ok("secretsmanager", "create-secret", "--name", "secrets-it-" + suffix + "-wrong", "--secret-string",
                    "{\"username\":\"stevedore\",\"password\":\"not-the-password\"}");
            registerPrivate("private-image", image, "secrets-it-" + suffix + "-registry");
            registerPrivate("private-image-wrong", image, "secrets-it-" + suffix + "-wrong");

            Task refused = awaitStopped(run("private-image-wrong"));
            assertThat(refused.stopCodeAsString()).isEqualTo("TaskFailedToStart");
            assertThat(refused.stoppedReason()).startsWith("CannotPullContainerError:");

            Task pulled = awaitStopped(run("private-image"));
            assertThat(output(pulled)).contains("pulled privately");
            assertThat(pulled.containers().get(0).exitCode()).isZero();
            assertThat(pulled.containers().get(0).imageDigest()).startsWith("sha256:");
            // Untagged even while the stopped container uses it, so that the next run pulls again.
            Docker.run("rmi", "-f", image);
        }
    }

    /** A task of an image of the private registry, pulled with the credentials of the secret named. */
    void registerPrivate(String family, String image, String credentialsSecret) {
        ObjectNode def = JSON.createObjectNode();
        def.put("family", family + "-" + suffix).put("executionRoleArn", executionRoleArn);
        ObjectNode container = def.putArray("containerDefinitions").addObject();
        container.put("name", "app").put("image", image).put("memory", 64).put("essential", true);
        container.putObject("repositoryCredentials").put("credentialsParameter", credentialsSecret);
        container.putArray("command").add("echo").add("pulled privately");
        cli.ok("ecs", "register-task-definition", "--cli-input-json", def.toString());
    }

    @Test
    @Order(6)
    void aTaskRunningWhenItsAgentRestartsKeepsItsVariablesAndTheStateFileHoldsNoValue() throws Exception {
        String taskArn = run("long-running");
        Task running = new ClusterTasks(ecs, cluster).awaitStatus(taskArn, "RUNNING");
        String container = running.containers().get(0).runtimeId();
        assertNoValueIn("the agent's data directory", contentsOf(root.resolve("agent")));

        agent.kill();
        agent = AgentProcess.start(stevedore.endpoint().getPort(), cluster, root.resolve("agent"), "i-0000000000005ec01",
                "us-east-1a", 2048, 2048);
        // The log file is the first run's too: the second start is the second such line.
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.output().split("task engine started for", -1).length == 3);

        assertThat(Docker.isRunning(container)).isTrue();
        assertThat(Docker.run("inspect", "--format", "{{json .Config.Env}}", container))
                .contains("\"DB_PASSWORD=" + password + "\"");
        ecs.stopTask(b -> b.cluster(cluster).task(taskArn));
        assertThat(awaitStopped(taskArn).containers().get(0).runtimeId()).isEqualTo(container);
    }

    @Test
    @Order(7)
    void noValueIsInTheAgentsLogOrFilesNorInTheServersFiles() {
        assertNoValueIn("the agent's output", agent.output());
        assertNoValueIn("the agent's data directory", contentsOf(root.resolve("agent")));
        assertNoValueIn("the server's data directory", contentsOf(root.resolve("server")));
    }

    /** Every file under {@code dir}, read as text (binary files too: a value would still be found in them). */
    static String contentsOf(Path dir) {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }
}
