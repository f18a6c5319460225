package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.HostVolumeProperties;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.MountPoint;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.Volume;

/**
 * Task roles end to end: an unmodified AWS CLI v2 inside a task's container finds its
 * task's credentials only through {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}, as on ECS, and may
 * then do what the role allows and nothing else; another task is refused them; RunTask refuses a
 * role ECS may not assume.
 *
 * <p>The container is the project's busybox image with the host's {@code /usr} (Debian's CLI and
 * Python) mounted read-only through the task definition's host volumes, and {@code /lib},
 * {@code /lib64} (symlinks into {@code /usr} on the host) for the dynamic loader: nothing is pulled.
 * The control plane runs in this JVM and listens on the Docker bridge's host address, the one
 * address both the agent and the task containers reach; the agent is its own process, serving the
 * task endpoints on a free port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@UsesDockerEngine
class TaskRoleOnDockerIT {
    static final String IMAGE = "stevedore-test/busybox:latest";
    static final String ACCOUNT = InProcessStevedore.ACCOUNT;
    static final Pattern CREDENTIALS_URI = Pattern.compile("uri=(/v2/credentials/[0-9a-f-]+)");

    final String cluster = "roles-" + Long.toHexString(System.nanoTime());
    final String role = "lister-" + Long.toHexString(System.nanoTime());
    final String untrustedRole = "ec2-only-" + Long.toHexString(System.nanoTime());
    Path root;
    InProcessStevedore stevedore;
    AgentProcess agent;
    EcsClient ecs;
    AwsCli rootCli;
    String roleArn;
    String untrustedRoleArn;

    /** The task that ran the CLI with its role, still running (the credentials id it was given). */
    String cliTask;
    String cliCredentialsUri;

    @BeforeAll
    void start() throws Exception {
        root = Files.createTempDirectory("stevedore-task-role");
        stevedore = InProcessStevedore.startOn(bridgeHostAddress(), root.resolve("server"));
        ecs = stevedore.ecs();
        rootCli = new AwsCli(stevedore.plane.endpoint());
        ecs.createCluster(b -> b.clusterName(cluster));
        agent = AgentProcess.start(stevedore.plane.endpoint(), cluster, root.resolve("agent"), "i-000000000000071e0",
                "us-east-1a", 2048, 2048);

        roleArn = rootCli.ok("iam", "create-role", "--role-name", role, "--assume-role-policy-document",
                trustedBy("ecs-tasks.amazonaws.com")).at("/Role/Arn").asText();
        rootCli.ok("iam", "put-role-policy", "--role-name", role, "--policy-name", "list-clusters",
                "--policy-document", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"ecs:ListClusters\",\"Resource\":\"*\"}]}");
        untrustedRoleArn = rootCli.ok("iam", "create-role", "--role-name", untrustedRole,
                "--assume-role-policy-document", trustedBy("ec2.amazonaws.com")).at("/Role/Arn").asText();

        String aws = "aws --endpoint-url " + stevedore.plane.endpoint() + " --no-cli-pager";
        // Prints what it found and how each call ended, then stays up: the task keeps its credentials.
        registerCliTask("with-role", Optional.of(roleArn), String.join("; ",
                "echo uri=${AWS_CONTAINER_CREDENTIALS_RELATIVE_URI:-none} keys=${AWS_ACCESS_KEY_ID:-none}",
                "env",
                aws + " sts get-caller-identity --query Arn --output text; echo identity-exit=$?",
                aws + " ecs list-clusters --query 'clusterArns[]' --output text; echo list-exit=$?",
                aws + " ecs create-cluster --cluster-name forbidden-" + cluster + " 2>&1; echo create-exit=$?",
                "exec sleep 600"));
        registerCliTask("without-role", Optional.empty(), String.join("; ",
                "echo uri=${AWS_CONTAINER_CREDENTIALS_RELATIVE_URI:-none} keys=${AWS_ACCESS_KEY_ID:-none}",
                aws + " sts get-caller-identity 2>&1; echo identity-exit=$?"));
        registerCliTask("untrusted-role", Optional.of(untrustedRoleArn), "true");
        await().atMost(Duration.ofSeconds(60)).until(() -> new ClusterTasks(ecs, cluster).agentConnected());
    }

    @AfterAll
    void stop() {
        stopAll(cluster, ecs, agent, stevedore);
    }

    /** Closes what was started (best effort) and removes the cluster's containers either way. */
    static void stopAll(String cluster, AutoCloseable... started) {
        Closeables.closeAll(started);
        Docker.removeCluster(InProcessStevedore.arnIn(InProcessStevedore.REGION, "cluster/" + cluster));
    }

    /**
     * The host's address on Docker's default bridge ({@code docker0}), where bridge-mode containers
     * reach the host; the test binds nothing on any other non-loopback address.
     */
    static String bridgeHostAddress() throws SocketException {
        NetworkInterface docker0 = NetworkInterface.getByName("docker0");
        if (docker0 == null) {
            throw new IllegalStateException("no docker0 interface: Docker's default bridge is needed");
        }
        return docker0.inetAddresses().filter(a -> a instanceof Inet4Address).map(InetAddress::getHostAddress)
                .findFirst().orElseThrow(() -> new IllegalStateException("docker0 has no IPv4 address"));
    }

    static String trustedBy(String service) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\""
                + service + "\"},\"Action\":\"sts:AssumeRole\"}]}";
    }

    /**
     * A task of one container running {@code script} with the host's AWS CLI, its own environment
     * holding nothing of the test's keys: only where the CLI's configuration is not (so none of
     * the host's is read) and that it must not ask EC2's instance metadata.
     */
    void registerCliTask(String family, Optional<String> taskRole, String script) {
        register(family, taskRole, script, true);
    }

    /** A task of the busybox image alone, running {@code script} (with busybox's own wget). */
    void registerShellTask(String family, String script) {
        register(family, Optional.empty(), script, false);
    }

    private void register(String family, Optional<String> taskRole, String script, boolean hostCli) {
        List<Volume> volumes = new ArrayList<>();
        List<MountPoint> mounts = new ArrayList<>();
        String[][] binds = hostCli ? new String[][] {{"usr", "/usr", "/usr"}, {"lib", "/usr/lib", "/lib"},
                {"lib64", "/usr/lib64", "/lib64"}} : new String[0][];
        for (String[] bind : binds) {
            volumes.add(Volume.builder().name(bind[0]).host(HostVolumeProperties.builder().sourcePath(bind[1]).build())
                    .build());
            mounts.add(MountPoint.builder().sourceVolume(bind[0]).containerPath(bind[2]).readOnly(true).build());
        }
        ecs.registerTaskDefinition(b -> {
            b.family(family).volumes(volumes).containerDefinitions(ContainerDefinition.builder()
                    .name("cli").image(IMAGE).memory(256).essential(true).stopTimeout(2)
                    .mountPoints(mounts)
                    .environment(env("AWS_EC2_METADATA_DISABLED", "true"), env("AWS_DEFAULT_REGION", InProcessStevedore.REGION),
                            env("AWS_CONFIG_FILE", "/nonexistent/config"),
                            env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"), env("HOME", "/tmp"))
                    .command("sh", "-c", script).build());
            taskRole.ifPresent(b::taskRoleArn);
        });
    }

    static KeyValuePair env(String name, String value) {
        return KeyValuePair.builder().name(name).value(value).build();
    }

    ClusterTasks tasks() {
        return new ClusterTasks(ecs, cluster);
    }

    String run(String family) {
        RunTaskResponse r = ecs.runTask(b -> b.cluster(cluster).taskDefinition(family));
        assertThat(r.failures()).isEmpty();
        return r.tasks().get(0).taskArn();
    }

    /** What the task's one container has printed so far. */
    String output(String taskArn) {
        return Optional.ofNullable(tasks().describe(taskArn).containers().get(0).runtimeId())
                .map(Docker::logs).orElse("");
    }

    /** Waits for the container to print {@code marker} (or to stop having printed something), then returns all it printed. */
    String awaitOutput(String taskArn, String marker) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> output(taskArn).contains(marker)
                        || ("STOPPED".equals(tasks().describe(taskArn).lastStatus()) && !output(taskArn).isEmpty()));
        return output(taskArn);
    }

    static String taskId(String taskArn) {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    @Test
    @Order(1)
    void theCliInsideTheTaskIsItsRoleSessionAndMayDoWhatTheRoleAllowsAndNothingElse() {
        cliTask = run("with-role");
        String withoutRole = run("without-role");
        String out = awaitOutput(cliTask, "create-exit=");

        assertThat(out).as(out).contains("keys=none").contains("identity-exit=0").contains("list-exit=0");
        Matcher uri = CREDENTIALS_URI.matcher(out);
        assertThat(uri.find()).as(out).isTrue();
        cliCredentialsUri = uri.group(1);
        String session = "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + role + "/" + taskId(cliTask);
        assertThat(out).contains("\n" + session + "\n");
        // Nothing of the root's keys reached the container: the credentials came from the endpoint.
        assertThat(out).doesNotContain(InProcessStevedore.ACCESS_KEY).doesNotContain(InProcessStevedore.SECRET_KEY)
                .doesNotContain("AWS_SECRET_ACCESS_KEY").doesNotContain("AWS_SESSION_TOKEN");
        assertThat(out).contains("arn:aws:ecs:" + InProcessStevedore.REGION + ":" + ACCOUNT + ":cluster/" + cluster);
        assertThat(out).contains("AccessDeniedException")
                .contains("User: " + session + " is not authorized to perform: ecs:CreateCluster")
                .doesNotContain("create-exit=0");
        assertThat(rootCli.ok("ecs", "describe-clusters", "--clusters", "forbidden-" + cluster)
                .at("/failures/0/reason").asText()).isEqualTo("MISSING");

        // No role: the container is told of no credentials, and the CLI finds none.
        Task stopped = tasks().awaitStatus(withoutRole, "STOPPED");
        String none = output(withoutRole);
        assertThat(none).as(none).contains("uri=none keys=none").contains("Unable to locate credentials")
                .doesNotContain("identity-exit=0");
        assertThat(stopped.containers().get(0).exitCode()).isZero();
    }

    @Test
    @Order(2)
    void anotherTaskAskingForTheFirstTasksCredentialsIsRefusedWhileItRunsAndAfterItStopped() {
        assertThat(cliCredentialsUri).as("the first test found the credentials URI").isNotNull();
        String probe = "wget -qO- http://169.254.170.2" + cliCredentialsUri + " 2>&1; echo wget-exit=$?";
        registerShellTask("thief", probe);

        assertThat(tasks().describe(cliTask).lastStatus()).isEqualTo("RUNNING");
        String whileRunning = run("thief");
        tasks().awaitStatus(whileRunning, "STOPPED");
        assertThat(output(whileRunning)).contains("400 Bad Request").contains("wget-exit=1")
                .doesNotContain("SecretAccessKey");

        // Once the task has stopped no container of it is left to ask; another task still asks in vain
        // (the agent's own TaskEndpointsIT shows the id is then refused to everyone).
        ecs.stopTask(b -> b.cluster(cluster).task(cliTask));
        tasks().awaitStatus(cliTask, "STOPPED");
        String afterStop = run("thief");
        tasks().awaitStatus(afterStop, "STOPPED");
        assertThat(output(afterStop)).contains("400 Bad Request").contains("wget-exit=1")
                .doesNotContain("SecretAccessKey");
    }

    @Test
    @Order(3)
    void runTaskRefusesARoleWhoseTrustPolicyDoesNotAllowEcsTasksAndStartsNothing() {
        List<String> before = ecs.listTasks(b -> b.cluster(cluster)).taskArns();
        String refused = rootCli.fails("ClientException", "ecs", "run-task", "--cluster", cluster,
                "--task-definition", "untrusted-role");
        assertThat(refused).contains("ECS was unable to assume the role '" + untrustedRoleArn + "' that was provided "
                + "for this task. Please verify that the role being passed has the proper trust relationship and "
                + "permissions and that your IAM user has permissions to pass this role.");
        assertThat(ecs.listTasks(b -> b.cluster(cluster)).taskArns()).isEqualTo(before);
    }
}
