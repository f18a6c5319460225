package dev.stevedore.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attachment;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Task;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Fargate story end to end on real Docker: a server process, one platform host (an agent
 * started with {@code --fargate}), a VPC and subnets made through the EC2 API, FARGATE tasks run
 * through the AWS SDK and the AWS CLI, one of them with an EFS volume (the server, started with {@code up},
 * is its own storage host). Only addresses of this test's own subnets (10.214.0.0/16,
 * bridge networks the agent makes on this host) are contacted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@UsesDockerEngineAlone
class FargateOnDockerIT {
    static final String IMAGE = "stevedore-test/busybox:latest";
    static final String POOL_CLUSTER_ARN = "arn:aws:ecs:" + InProcessStevedore.REGION + ":" + InProcessStevedore.ACCOUNT
            + ":cluster/fargate.platform";
    final String cluster = "fargate-" + Long.toHexString(System.nanoTime());
    Path root;
    int port;
    StevedoreProcess server;
    AgentProcess platformHost;
    AgentProcess clusterHost;
    EcsClient ecs;
    Ec2Client ec2;
    String subnetA;
    String subnetB;
    String smallSubnet;
    /** The subnet of the EFS test's mount target and task, so the others' address counts stay theirs. */
    String efsSubnet;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    void start() throws Exception {
        root = Files.createTempDirectory("stevedore-fargate");
        port = StevedoreProcess.freePort();
        server = StevedoreProcess.start(root.resolve("server"), port);
        ecs = server.ecs();
        ec2 = server.ec2();
        ecs.createCluster(b -> b.clusterName(cluster));
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.214.0.0/16")).vpc().vpcId();
        subnetA = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.214.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        subnetB = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.214.2.0/24").availabilityZone("us-east-1b"))
                .subnet().subnetId();
        smallSubnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.214.3.0/28").availabilityZone("us-east-1c"))
                .subnet().subnetId();
        platformHost = AgentProcess.startPlatformHost(port, root.resolve("platform-host"), "i-00000000000000f01",
                "us-east-1a", 16384, 16384);
        // An instance of the cluster itself, for awsvpc on the EC2 launch type.
        clusterHost = AgentProcess.start(port, cluster, root.resolve("cluster-host"), "i-00000000000000e01",
                "us-east-1a", 2048, 2048);
        ecs.registerTaskDefinition(b -> b.family("web").networkMode(NetworkMode.AWSVPC)
                .requiresCompatibilities(Compatibility.FARGATE).cpu("256").memory("512")
                .containerDefinitions(ContainerDefinition.builder().name("httpd").image(IMAGE).essential(true).stopTimeout(2)
                        .command("httpd", "-f", "-p", "80", "-h", "/etc").build()));
        // Two containers of one task: the client reaches the server over the task's own localhost.
        ecs.registerTaskDefinition(b -> b.family("pair").networkMode(NetworkMode.AWSVPC)
                .requiresCompatibilities(Compatibility.FARGATE).cpu("256").memory("512")
                .containerDefinitions(
                        ContainerDefinition.builder().name("server").image(IMAGE).essential(true).stopTimeout(2)
                                .command("httpd", "-f", "-p", "8080", "-h", "/etc").build(),
                        ContainerDefinition.builder().name("client").image(IMAGE).essential(false).stopTimeout(2)
                                .command("sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do "
                                        + "wget -q -O /dev/null http://127.0.0.1:8080/passwd && exit 0; sleep 0.5; "
                                        + "done; exit 1").build()));
        ecs.registerTaskDefinition(b -> b.family("sleeper").networkMode(NetworkMode.AWSVPC)
                .requiresCompatibilities(Compatibility.FARGATE).cpu("256").memory("512")
                .containerDefinitions(ContainerDefinition.builder().name("main").image(IMAGE).essential(true).stopTimeout(2)
                        .command("sleep", "600").build()));
        // Doubles a string until the task's 512 MiB are gone.
        ecs.registerTaskDefinition(b -> b.family("hog").networkMode(NetworkMode.AWSVPC)
                .requiresCompatibilities(Compatibility.FARGATE).cpu("256").memory("512")
                .containerDefinitions(ContainerDefinition.builder().name("hog").image(IMAGE).essential(true).stopTimeout(2)
                        .command("sh", "-c", "x=a; while true; do x=$x$x; done").build()));
        await().atMost(Duration.ofSeconds(60)).until(() -> platformHostConnected());
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {ecs, ec2, platformHost, clusterHost, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort: the containers and networks are removed below either way
            }
        }
        Docker.removeCluster(POOL_CLUSTER_ARN);
        Docker.removeCluster(POOL_CLUSTER_ARN.replace("fargate.platform", cluster));
        if (server != null) {
            try {
                HostCommands.removeGlusterVolumesUnder(server.dataDir);
            } catch (Exception ignored) {
                // best effort, as above
            }
        }
        for (String subnet : new String[] {subnetA, subnetB, smallSubnet, efsSubnet}) {
            if (subnet != null) {
                Docker.removeSubnetNetwork(subnet);
            }
        }
    }

    /** The platform host has registered (ECS has no call that shows the pool; its agent says so). */
    boolean platformHostConnected() {
        return platformHost.process.isAlive() && logShows("Stevedore agent running");
    }

    boolean logShows(String text) {
        try {
            return Files.readString(root.resolve("platform-host.log")).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    NetworkConfiguration network(String... subnets) {
        return NetworkConfiguration.builder().awsvpcConfiguration(AwsVpcConfiguration.builder().subnets(subnets).build())
                .build();
    }

    /** Runs Fargate tasks; until the platform host's agent has connected, the platform has no capacity: try again. */
    List<Task> run(String family, int count, String... subnets) {
        List<List<Task>> placed = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var r = ecs.runTask(b -> b.cluster(cluster).taskDefinition(family).count(count)
                    .launchType(LaunchType.FARGATE).networkConfiguration(network(subnets)));
            if (r.failures().isEmpty()) {
                placed.add(r.tasks());
                return true;
            }
            assertThat(r.tasks()).as("a partial placement: " + r.failures()).isEmpty();
            return false;
        });
        return placed.get(0);
    }

    Task describe(String taskArn) {
        return new ClusterTasks(ecs, cluster).describe(taskArn);
    }

    Task awaitStatus(String taskArn, String status) {
        return new ClusterTasks(ecs, cluster).awaitStatus(taskArn, status);
    }

    static String detail(Task task, String name) {
        Attachment eni = task.attachments().stream().filter(a -> a.type().equals("ElasticNetworkInterface"))
                .findFirst().orElseThrow();
        return eni.details().stream().filter(d -> d.name().equals(name)).map(KeyValuePair::value).findFirst()
                .orElseThrow();
    }

    int freeAddresses(String subnetId) {
        Subnet s = ec2.describeSubnets(b -> b.subnetIds(subnetId)).subnets().get(0);
        return s.availableIpAddressCount();
    }

    static String taskArn;

    @Test
    @Order(1)
    void aFargateTaskAnswersAtItsPrivateAddress() throws Exception {
        Task task = run("web", 1, subnetA).get(0);
        taskArn = task.taskArn();
        assertThat(task.lastStatus()).isEqualTo("PROVISIONING");
        assertThat(task.launchTypeAsString()).isEqualTo("FARGATE");
        assertThat(task.containerInstanceArn()).isNull();
        Task running = awaitStatus(taskArn, "RUNNING");
        assertThat(running.attachments().get(0).status()).isEqualTo("ATTACHED");
        String address = detail(running, "privateIPv4Address");
        assertThat(address).startsWith("10.214.1.");
        assertThat(running.containers().get(0).networkInterfaces().get(0).privateIpv4Address()).isEqualTo(address);
        assertThat(freeAddresses(subnetA)).isEqualTo(256 - 5 - 1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/passwd"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("root:");
        });
        assertThat(ec2.describeNetworkInterfaces(b -> b.filters(f -> f.name("subnet-id").values(subnetA)))
                .networkInterfaces()).singleElement()
                .satisfies(eni -> {
                    assertThat(eni.privateIpAddress()).isEqualTo(address);
                    assertThat(eni.requesterManaged()).isTrue();
                    assertThat(eni.macAddress()).isEqualTo(detail(running, "macAddress"));
                });
    }

    @Test
    @Order(2)
    void stoppingGivesTheAddressBack() {
        String address = detail(describe(taskArn), "privateIPv4Address");
        ecs.stopTask(b -> b.cluster(cluster).task(taskArn));
        Task stopped = awaitStatus(taskArn, "STOPPED");
        assertThat(stopped.attachments().get(0).status()).isEqualTo("DELETED");
        assertThat(stopped.stopCodeAsString()).isEqualTo("UserInitiated");
        await().atMost(Duration.ofSeconds(20)).until(() -> freeAddresses(subnetA) == 256 - 5);
        assertThat(ec2.describeNetworkInterfaces(b -> b.filters(f -> f.name("subnet-id").values(subnetA)))
                .networkInterfaces()).isEmpty();
        // The next task gets the address back: the lowest free one.
        Task next = run("sleeper", 1, subnetA).get(0);
        assertThat(detail(next, "privateIPv4Address")).isEqualTo(address);
        ecs.stopTask(b -> b.cluster(cluster).task(next.taskArn()));
        awaitStatus(next.taskArn(), "STOPPED");
    }

    @Test
    @Order(3)
    void containersOfOneTaskTalkOverLocalhost() {
        Task task = run("pair", 1, subnetB).get(0);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                describe(task.taskArn()).containers().stream()
                        .anyMatch(c -> c.name().equals("client") && "STOPPED".equals(c.lastStatus())));
        Container client = describe(task.taskArn()).containers().stream().filter(c -> c.name().equals("client"))
                .findFirst().orElseThrow();
        assertThat(client.exitCode()).as("the client reached the server on 127.0.0.1").isEqualTo(0);
        assertThat(describe(task.taskArn()).availabilityZone()).isEqualTo("us-east-1b");
        ecs.stopTask(b -> b.cluster(cluster).task(task.taskArn()));
        awaitStatus(task.taskArn(), "STOPPED");
    }

    @Test
    @Order(4)
    void aFullSubnetFailsTheNextTaskCleanly() {
        // A /28 has eleven addresses a task can take.
        List<String> arns = new ArrayList<>();
        run("sleeper", 10, smallSubnet).forEach(t -> arns.add(t.taskArn()));
        List<Task> last = run("sleeper", 2, smallSubnet);
        arns.add(last.get(0).taskArn());
        Task failed = last.get(1);
        assertThat(failed.lastStatus()).isEqualTo("STOPPED");
        assertThat(failed.stopCodeAsString()).isEqualTo("TaskFailedToStart");
        assertThat(failed.stoppedReason()).contains("InsufficientFreeAddressesInSubnet").contains(smallSubnet);
        assertThat(freeAddresses(smallSubnet)).isZero();
        for (String arn : arns) {
            awaitStatus(arn, "RUNNING");
        }
        for (String arn : arns) {
            ecs.stopTask(b -> b.cluster(cluster).task(arn));
        }
        for (String arn : arns) {
            awaitStatus(arn, "STOPPED");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> freeAddresses(smallSubnet) == 11);
    }

    @Test
    @Order(5)
    void aTaskOverItsMemoryIsKilledWithTheReason() {
        Task task = run("hog", 1, subnetA).get(0);
        Task stopped = awaitStatus(task.taskArn(), "STOPPED");
        Container hog = stopped.containers().get(0);
        assertThat(hog.reason()).isEqualTo("OutOfMemoryError: Container killed due to memory usage");
        assertThat(hog.exitCode()).isEqualTo(137);
        assertThat(stopped.stopCodeAsString()).isEqualTo("EssentialContainerExited");
    }

    @Test
    @Order(6)
    void theAwsCliRunsAFargateTask() throws Exception {
        AwsCli aws = new AwsCli("http://127.0.0.1:" + port);
        AwsCli.Result r = aws.run("ecs", "run-task", "--cluster", cluster, "--task-definition", "sleeper",
                "--launch-type", "FARGATE", "--network-configuration",
                "awsvpcConfiguration={subnets=[" + subnetB + "],assignPublicIp=DISABLED}");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        String arn = r.json().at("/tasks/0/taskArn").asText();
        awaitStatus(arn, "RUNNING");
        AwsCli.Result wait = aws.run("ecs", "describe-tasks", "--cluster", cluster, "--tasks", arn);
        assertThat(wait.json().at("/tasks/0/platformVersion").asText()).isEqualTo("1.4.0");
        ecs.stopTask(b -> b.cluster(cluster).task(arn));
        AwsCli.Result stopped = aws.run("ecs", "wait", "tasks-stopped", "--cluster", cluster, "--tasks", arn);
        assertThat(stopped.exitCode()).as(stopped.stderr()).isZero();
    }

    @Test
    @Order(7)
    void aFargateServiceSpreadsOverItsSubnetsZones() {
        ecs.createService(b -> b.cluster(cluster).serviceName("spread").taskDefinition("sleeper").desiredCount(4)
                .launchType(LaunchType.FARGATE).networkConfiguration(network(subnetA, subnetB)));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                ecs.describeServices(b -> b.cluster(cluster).services("spread")).services().get(0).runningCount() == 4);
        List<String> arns = ecs.listTasks(b -> b.cluster(cluster).serviceName("spread")).taskArns();
        List<Task> tasks = ecs.describeTasks(b -> b.cluster(cluster).tasks(arns)).tasks();
        assertThat(tasks).extracting(Task::availabilityZone)
                .containsExactlyInAnyOrder("us-east-1a", "us-east-1a", "us-east-1b", "us-east-1b");
        assertThat(tasks).allSatisfy(t -> assertThat(t.launchTypeAsString()).isEqualTo("FARGATE"));
        ecs.deleteService(b -> b.cluster(cluster).service("spread").force(true));
        for (String arn : arns) {
            awaitStatus(arn, "STOPPED");
        }
    }

    @Test
    @Order(8)
    void anAwsvpcTaskOnTheClustersOwnInstanceGetsAnAddressOfTheSubnetInItsZone() throws Exception {
        ecs.registerTaskDefinition(b -> b.family("vpc-web").networkMode(NetworkMode.AWSVPC)
                .requiresCompatibilities(Compatibility.EC2)
                .containerDefinitions(ContainerDefinition.builder().name("httpd").image(IMAGE).essential(true)
                        .memory(32).stopTimeout(2).command("httpd", "-f", "-p", "80", "-h", "/etc").build()));
        List<List<Task>> placed = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            var r = ecs.runTask(b -> b.cluster(cluster).taskDefinition("vpc-web").launchType(LaunchType.EC2)
                    .networkConfiguration(network(subnetA, subnetB)));
            if (r.tasks().isEmpty()) {
                return false;  // the cluster's agent has not connected yet
            }
            placed.add(r.tasks());
            return true;
        });
        Task task = placed.get(0).get(0);
        assertThat(task.containerInstanceArn()).contains(cluster);
        assertThat(detail(task, "subnetId")).as("the subnet in the instance's zone").isEqualTo(subnetA);
        Task running = awaitStatus(task.taskArn(), "RUNNING");
        String address = detail(running, "privateIPv4Address");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/passwd"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        });
        ecs.stopTask(b -> b.cluster(cluster).task(task.taskArn()));
        awaitStatus(task.taskArn(), "STOPPED");
        await().atMost(Duration.ofSeconds(20)).until(() -> freeAddresses(subnetA) == 256 - 5);
    }

    @Test
    @Order(9)
    void aFargateTaskWritesAndReadsAnEfsFileSystem() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/gluster")) && Files.exists(Path.of("/dev/fuse"))
                && Files.isExecutable(Path.of("/usr/bin/bindfs")), "GlusterFS, bindfs and FUSE are needed");
        AwsCli aws = new AwsCli("http://127.0.0.1:" + port);
        String vpc = ec2.describeSubnets(b -> b.subnetIds(subnetA)).subnets().get(0).vpcId();
        efsSubnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.214.4.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String fs = aws.ok("efs", "create-file-system", "--creation-token", cluster).path("FileSystemId").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> aws.ok("efs",
                "describe-file-systems", "--file-system-id", fs).at("/FileSystems/0/LifeCycleState").asText().equals("available"));
        aws.ok("efs", "create-mount-target", "--file-system-id", fs, "--subnet-id", efsSubnet);
        ecs.registerTaskDefinition(b -> b.family("efs").networkMode(NetworkMode.AWSVPC)
                .requiresCompatibilities(Compatibility.FARGATE).cpu("256").memory("512")
                .volumes(v -> v.name("shared").efsVolumeConfiguration(e -> e.fileSystemId(fs)))
                .containerDefinitions(ContainerDefinition.builder().name("main").image(IMAGE).essential(true)
                        .mountPoints(m -> m.sourceVolume("shared").containerPath("/mnt/efs"))
                        .command("sh", "-c", "echo from-fargate > /mnt/efs/written && grep -q from-fargate /mnt/efs/written")
                        .build()));

        Task stopped = awaitStatus(run("efs", 1, efsSubnet).get(0).taskArn(), "STOPPED");
        assertThat(stopped.containers().get(0).exitCode()).as(stopped.toString()).isZero();
        assertThat(server.dataDir.resolve("efs/bricks/" + fs + "/brick1/written")).hasContent("from-fargate");
        // The platform host's mount goes with its last task.
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.readString(Path.of("/proc/self/mountinfo"))
                .contains(root.resolve("platform-host").toString()));
    }
}
