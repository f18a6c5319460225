package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stevedore.server.registry.RegistrySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Tasks whose image is in Stevedore's own ECR, on a real agent: the image is pushed with the real
 * Docker client after {@code docker login} with {@code aws ecr get-login-password}, then removed from
 * the engine, so the agent must pull it with a token it asks ECR for (with the task's execution role,
 * else the instance's keys). A role without ECR's permissions stops the task with ECS's reason. One
 * server and one agent for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@UsesDockerEngine
class EcrPullOnDockerIT {
    static final String IMAGE = "stevedore-test/busybox:latest";
    static final String ACCOUNT = InProcessStevedore.ACCOUNT;

    final String suffix = Long.toHexString(System.nanoTime());
    final String cluster = "ecr-pull-" + suffix;
    final String repository = "ecr-pull-" + suffix + "/app";
    Path root;
    Path dockerConfig;
    InProcessStevedore stevedore;
    AgentProcess agent;
    EcsClient ecs;
    IamClient iam;
    AwsCli cli;
    String image;
    String digest;

    @BeforeAll
    void start() throws Exception {
        root = Files.createTempDirectory("stevedore-ecr-pull");
        stevedore = InProcessStevedore.start(root.resolve("server"), config -> config.withRegistry(RegistrySettings.onPort(0)));
        String registry = stevedore.plane.registryAddress().orElseThrow();
        ecs = stevedore.ecs();
        cli = new AwsCli(stevedore.plane.endpoint());
        iam = IamClient.builder().endpointOverride(stevedore.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        InProcessStevedore.ACCESS_KEY, InProcessStevedore.SECRET_KEY))).build();
        ecs.createCluster(r -> r.clusterName(cluster));
        agent = AgentProcess.start(stevedore.endpoint().getPort(), List.of("--cluster", cluster, "--image-registry", registry),
                root.resolve("agent"), "i-00000000000ec2011", "us-east-1a", 2048, 2048);

        dockerConfig = Files.createTempDirectory("stevedore-ecr-pull-docker");
        String password = cli.run("ecr", "get-login-password").stdout().strip();
        Docker.Result login = Docker.run(dockerConfig, password, "login", "--username", "AWS", "--password-stdin", registry);
        assertThat(login.exitCode()).as(login.output()).isZero();
        cli.ok("ecr", "create-repository", "--repository-name", repository);
        image = registry + "/" + repository + ":v1";
        Docker.run("tag", IMAGE, image);
        Docker.Result pushed = Docker.run(dockerConfig, null, "push", image);
        assertThat(pushed.exitCode()).as(pushed.output()).isZero();
        Matcher m = Pattern.compile("digest: (sha256:[0-9a-f]{64})").matcher(pushed.output());
        assertThat(m.find()).as(pushed.output()).isTrue();
        digest = m.group(1);

        register("instance-role", null);
        register("execution-role", role("pulls", "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", null));
        register("no-ecr", role("no-ecr", null, null));
        register("token-only", role("token-only", null, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"ecr:GetAuthorizationToken\",\"Resource\":\"*\"}]}"));
        await().atMost(Duration.ofSeconds(60)).until(() -> new ClusterTasks(ecs, cluster).agentConnected());
    }

    @AfterAll
    void stop() {
        Docker.run(dockerConfig, null, "rmi", "-f", image);
        Closeables.closeAll(ecs, iam, agent, stevedore);
        Docker.removeCluster(InProcessStevedore.arnIn(InProcessStevedore.REGION, "cluster/" + cluster));
    }

    /** Gone from the engine before each task, so that the agent must pull it. */
    @BeforeEach
    void removeTheImageLocally() {
        Docker.run(dockerConfig, null, "rmi", "-f", image);
    }

    /** A role tasks may assume, with the managed policy and inline policy given (either may be null). */
    String role(String name, String managedPolicy, String inlinePolicy) {
        String roleName = name + "-" + suffix;
        String arn = iam.createRole(r -> r.roleName(roleName)
                .assumeRolePolicyDocument(TaskRoleOnDockerIT.trustedBy("ecs-tasks.amazonaws.com"))).role().arn();
        if (managedPolicy != null) {
            iam.attachRolePolicy(r -> r.roleName(roleName).policyArn(managedPolicy));
        }
        if (inlinePolicy != null) {
            iam.putRolePolicy(r -> r.roleName(roleName).policyName("ecr").policyDocument(inlinePolicy));
        }
        return arn;
    }

    /** A task that prints a line with the image of the test's repository and exits. */
    void register(String family, String executionRole) {
        ecs.registerTaskDefinition(r -> r.family(family + "-" + suffix).executionRoleArn(executionRole)
                .containerDefinitions(c -> c.name("app").image(image).memory(32).essential(true)
                        .command("echo", "pulled from ECR")));
    }

    Task runToStop(String family) {
        RunTaskResponse r = ecs.runTask(t -> t.cluster(cluster).taskDefinition(family + "-" + suffix));
        assertThat(r.failures()).isEmpty();
        return new ClusterTasks(ecs, cluster).awaitStatus(r.tasks().getFirst().taskArn(), "STOPPED");
    }

    void assertPulledAndRan(Task stopped) {
        assertThat(stopped.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(stopped.containers().get(0).exitCode()).isZero();
        assertThat(Docker.logs(stopped.containers().get(0).runtimeId())).contains("pulled from ECR");
        assertThat(stopped.containers().get(0).imageDigest()).isEqualTo(digest);
        assertThat(stopped.pullStartedAt()).isNotNull();
        assertThat(stopped.pullStoppedAt()).isAfterOrEqualTo(stopped.pullStartedAt());
    }

    @Test
    void aTaskWithoutAnExecutionRolePullsWithTheInstancesKeys() {
        assertPulledAndRan(runToStop("instance-role"));
    }

    @Test
    void aTaskPullsWithItsExecutionRole() {
        assertPulledAndRan(runToStop("execution-role"));
    }

    @Test
    void anExecutionRoleWithoutEcrPermissionsStopsTheTaskWithEcsReason() {
        Task stopped = runToStop("no-ecr");

        assertThat(stopped.stopCodeAsString()).isEqualTo("TaskFailedToStart");
        assertThat(stopped.stoppedReason()).startsWith("CannotPullECRContainerError: AccessDeniedException: User: arn:aws:sts::"
                + ACCOUNT + ":assumed-role/no-ecr-" + suffix + "/").contains("is not authorized to perform: ecr:GetAuthorizationToken");
        assertThat(stopped.containers().get(0).runtimeId()).isNull();
    }

    @Test
    void anExecutionRoleThatMayNotPullFromTheRepositoryStopsTheTaskWithEcsReason() {
        Task stopped = runToStop("token-only");

        assertThat(stopped.stopCodeAsString()).isEqualTo("TaskFailedToStart");
        // The registry refuses the pull; the ECS agent puts its hint before Docker's words.
        assertThat(stopped.stoppedReason()).startsWith("CannotPullContainerError: The task can’t pull the image. ")
                .contains("Error response from daemon: pull access denied for " + image.substring(0, image.lastIndexOf(':')));
        assertThat(stopped.containers().get(0).runtimeId()).isNull();
    }
}
