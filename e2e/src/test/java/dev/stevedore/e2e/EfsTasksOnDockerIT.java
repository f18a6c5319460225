package dev.stevedore.e2e;

import static dev.stevedore.e2e.HostCommands.exitCode;
import static dev.stevedore.e2e.HostCommands.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * EFS volumes in tasks, with the AWS CLI: one file system (a replica-3 Gluster volume on the server's
 * machine) with mount targets in two zones, two agents in those zones. Tasks on both write and read
 * the same files; an access point's root is made with its owner and permissions and confines the task;
 * what a root container creates through an access point with a POSIX user belongs to that user;
 * a read-only mount point refuses writes; with IAM authorization the file system policy decides (a role
 * given ClientMount alone mounts read-only, one not named cannot mount); a task naming an unknown file
 * system fails to start with ECS's reason; with one brick's process killed writes and reads go on, and the brick heals when it returns.
 * A running task's mount outlives an agent restart; mounts are gone once their tasks have stopped. Needs root, GlusterFS, bindfs and /dev/fuse.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@UsesDockerEngine
@StartEarly
class EfsTasksOnDockerIT {
    static final String IMAGE = "stevedore-test/busybox:latest";
    final String cluster = "efs-" + Long.toHexString(System.nanoTime());
    static final String[] ZONES = {"us-east-1a", "us-east-1b"};
    final List<AgentProcess> agents = new ArrayList<>();
    /** Each agent's task endpoint port, the same again when it is restarted. */
    final int[] endpointPorts = {StevedoreProcess.freePort(), StevedoreProcess.freePort()};
    Path root;
    InProcessStevedore stevedore;
    AwsCli aws;
    EcsClient ecs;
    String fsId;
    String accessPointId;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/gluster")) && Files.exists(Path.of("/dev/fuse"))
                && Files.isExecutable(Path.of("/usr/bin/bindfs")), "GlusterFS, bindfs and FUSE are needed");
        root = Files.createTempDirectory("stevedore-efs-tasks");
        stevedore = InProcessStevedore.start(root.resolve("server"), config -> config.withFileSystemStorage(true));
        aws = new AwsCli(stevedore.plane.endpoint());
        ecs = stevedore.ecs();
        aws.ok("ecs", "create-cluster", "--cluster-name", cluster);
        for (int i = 0; i < ZONES.length; i++) {
            agents.add(startAgent(i));
        }
        fsId = aws.ok("efs", "create-file-system", "--creation-token", cluster).path("FileSystemId").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> aws.ok("efs",
                "describe-file-systems", "--file-system-id", fsId).at("/FileSystems/0/LifeCycleState").asText().equals("available"));
        for (String zone : ZONES) {
            String subnet = aws.ok("ec2", "describe-subnets", "--filters", "Name=availability-zone,Values=" + zone,
                    "Name=default-for-az,Values=true").at("/Subnets/0/SubnetId").asText();
            aws.ok("efs", "create-mount-target", "--file-system-id", fsId, "--subnet-id", subnet);
        }
        accessPointId = aws.ok("efs", "create-access-point", "--file-system-id", fsId, "--root-directory",
                "Path=/apps/one,CreationInfo={OwnerUid=1000,OwnerGid=1001,Permissions=0750}").path("AccessPointId").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> ecs.listContainerInstances(b -> b.cluster(cluster))
                .containerInstanceArns().size() == 2);
    }

    private AgentProcess startAgent(int i) {
        return AgentProcess.start(stevedore.plane.port(), cluster, root.resolve("agent-" + i), "i-00000000000000e0" + i,
                ZONES[i], 1024, 512, endpointPorts[i]);
    }

    @AfterAll
    void stop() throws Exception {
        agents.forEach(AgentProcess::close);
        if (ecs != null) {
            ecs.close();
        }
        if (stevedore != null) {
            stevedore.close();
            Docker.removeCluster("arn:aws:ecs:" + InProcessStevedore.REGION + ":" + InProcessStevedore.ACCOUNT
                    + ":cluster/" + cluster);
            for (Path mount : mountsUnder(root)) {
                exitCode("umount", "-l", mount.toString());
            }
            HostCommands.removeGlusterVolumesUnder(stevedore.dataDir);
        }
    }

    @Test
    void tasksInTwoZonesShareTheFileSystemAndTheirMountsGoWithThem() throws Exception {
        assertThat(runToExit("share", "us-east-1a", plainVolume(), false, "echo from-zone-a > /mnt/efs/greeting")).isZero();
        assertThat(runToExit("share", "us-east-1b", plainVolume(), false, "grep -q from-zone-a /mnt/efs/greeting")).isZero();

        await().atMost(Duration.ofSeconds(30)).until(() -> mountsUnder(root).isEmpty());
    }

    @Test
    void aRunningTasksMountOutlivesAnAgentRestartAndGoesWithTheTask() throws Exception {
        // The shell is the container's first process, which SIGTERM stops only when it traps it (else the
        // stop waits out its 30 s timeout).
        String taskArn = start("long", ZONES[0], plainVolume(), "echo kept > /mnt/efs/kept; trap 'exit 0' TERM; sleep 600 & wait");
        await().atMost(Duration.ofSeconds(60)).until(() -> ecs.describeTasks(b -> b.cluster(cluster).tasks(taskArn))
                .tasks().get(0).lastStatus().equals("RUNNING"));
        Path agentDir = root.resolve("agent-0");
        assertThat(mountsUnder(agentDir)).hasSize(1);

        agents.get(0).kill();
        agents.set(0, startAgent(0));
        // The log goes on in the same file: the second engine start is the restarted agent's.
        await().atMost(Duration.ofSeconds(60)).until(() -> agents.get(0).output().split("task engine started").length > 2);
        assertThat(mountsUnder(agentDir)).hasSize(1);
        assertThat(runToExit("after-restart", ZONES[0], plainVolume(), false, "grep -q kept /mnt/efs/kept")).isZero();

        aws.ok("ecs", "stop-task", "--cluster", cluster, "--task", taskArn);
        await().atMost(Duration.ofSeconds(60)).until(() -> mountsUnder(agentDir).isEmpty());
    }

    @Test
    void anAccessPointsRootIsMadeWithItsCreationInfoAndConfinesTheTask() throws Exception {
        String volume = "{\"name\":\"efs\",\"efsVolumeConfiguration\":{\"fileSystemId\":\"" + fsId + "\","
                + "\"transitEncryption\":\"ENABLED\",\"authorizationConfig\":{\"accessPointId\":\"" + accessPointId + "\"}}}";
        runToExit("outside", "us-east-1a", plainVolume(), false, "echo above > /mnt/efs/above-the-access-point");

        assertThat(runToExit("access-point", "us-east-1b", volume, false,
                "touch /mnt/efs/mine && test ! -e /mnt/efs/above-the-access-point")).isZero();

        Path dir = brick(1).resolve("apps/one");
        assertThat(dir.resolve("mine")).exists();
        assertThat(Files.getAttribute(dir, "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(dir, "unix:gid")).isEqualTo(1001);
        assertThat((int) Files.getAttribute(dir, "unix:mode") & 07777).isEqualTo(0750);
    }

    @Test
    void whatARootContainerCreatesThroughAnAccessPointBelongsToItsPosixUser() throws Exception {
        String posixAccessPoint = aws.ok("efs", "create-access-point", "--file-system-id", fsId, "--posix-user",
                "{\"Uid\":1234,\"Gid\":5678,\"SecondaryGids\":[4321]}", "--root-directory",
                "Path=/posix,CreationInfo={OwnerUid=1234,OwnerGid=5678,Permissions=0755}").path("AccessPointId").asText();
        String volume = "{\"name\":\"efs\",\"efsVolumeConfiguration\":{\"fileSystemId\":\"" + fsId + "\","
                + "\"transitEncryption\":\"ENABLED\",\"authorizationConfig\":{\"accessPointId\":\"" + posixAccessPoint + "\"}}}";

        // The container runs as root; giving a file away is refused as it is to the access point's user.
        assertThat(runToExit("posix-user", "us-east-1a", volume, false, "test $(id -u) = 0 && mkdir /mnt/efs/dir"
                + " && echo x > /mnt/efs/dir/file && ! chown 0:0 /mnt/efs/dir/file")).isZero();
        // Seen through the plain mount of the volume, from the other zone; a plain task's file stays root's.
        assertThat(runToExit("posix-owner", "us-east-1b", plainVolume(), false,
                "test $(stat -c %u:%g /mnt/efs/posix/dir) = 1234:5678 && test $(stat -c %u:%g /mnt/efs/posix/dir/file) = 1234:5678"
                        + " && touch /mnt/efs/posix/plain && test $(stat -c %u:%g /mnt/efs/posix/plain) = 0:0")).isZero();

        Path file = brick(1).resolve("posix/dir/file");
        assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(file, "unix:gid")).isEqualTo(5678);
        assertThat(Files.getAttribute(brick(1).resolve("posix/plain"), "unix:uid")).isEqualTo(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> mountsUnder(root).isEmpty());
    }

    @Test
    void aReadOnlyMountPointRefusesWrites() throws Exception {
        assertThat(runToExit("read-only", "us-east-1a", plainVolume(), true, "echo x > /mnt/efs/not-written")).isNotZero();
        assertThat(brick(1).resolve("not-written")).doesNotExist();
    }

    @Test
    void aTaskNamingAnUnknownFileSystemFailsToStartWithEcsReason() {
        String volume = "{\"name\":\"efs\",\"efsVolumeConfiguration\":{\"fileSystemId\":\"fs-0123456789abcdef0\"}}";
        JsonNode task = runToStop("unknown-fs", "us-east-1a", volume, false, "true");
        assertThat(task.path("stopCode").asText()).isEqualTo("TaskFailedToStart");
        assertThat(task.path("stoppedReason").asText()).startsWith(
                "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: "
                        + "Failed to resolve \"fs-0123456789abcdef0.efs.us-east-1.amazonaws.com\"");
    }

    @Test
    void withOneBrickDownWritesAndReadsGoOnAndTheBrickHealsWhenItReturns() throws Exception {
        String status = run("gluster", "--mode=script", "volume", "status", fsId, "--xml");
        Matcher pid = Pattern.compile("<path>" + Pattern.quote(brick(2).toString()) + "</path>.*?<pid>(\\d+)</pid>",
                Pattern.DOTALL).matcher(status);
        assertThat(pid.find()).as(status).isTrue();
        run("kill", "-9", pid.group(1));

        assertThat(runToExit("degraded", "us-east-1a", plainVolume(), false, "echo still-written > /mnt/efs/degraded")).isZero();
        assertThat(runToExit("degraded", "us-east-1b", plainVolume(), false, "grep -q still-written /mnt/efs/degraded")).isZero();
        assertThat(brick(2).resolve("degraded")).doesNotExist();

        run("gluster", "--mode=script", "volume", "start", fsId, "force");
        // The heal makes the entry before it copies the data: healed is when the content is there.
        Path healed = brick(2).resolve("degraded");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            exitCode("gluster", "--mode=script", "volume", "heal", fsId);
            return Files.exists(healed) && Files.readString(healed).equals("still-written\n");
        });
    }

    @Test
    void iamAuthorizationFollowsTheFileSystemPolicy() {
        String reader = role("efs-reader-" + cluster);
        String stranger = role("efs-stranger-" + cluster);
        aws.ok("efs", "put-file-system-policy", "--file-system-id", fsId, "--policy", "{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + reader + "\"},"
                + "\"Action\":\"elasticfilesystem:ClientMount\",\"Resource\":\"*\"}]}");
        String volume = "{\"name\":\"efs\",\"efsVolumeConfiguration\":{\"fileSystemId\":\"" + fsId + "\","
                + "\"transitEncryption\":\"ENABLED\",\"authorizationConfig\":{\"iam\":\"ENABLED\"}}}";
        try {
            // ClientMount without ClientWrite: mounted read-only.
            assertThat(exitCodeOf(runToStop("iam-reader", "us-east-1a", volume, false, "test -d /mnt/efs && ! touch /mnt/efs/x",
                    reader))).isZero();
            JsonNode refused = runToStop("iam-stranger", "us-east-1a", volume, false, "true", stranger);
            assertThat(refused.path("stopCode").asText()).isEqualTo("TaskFailedToStart");
            assertThat(refused.path("stoppedReason").asText())
                    .endsWith("stderr: b'mount.nfs4: access denied by server while mounting 127.0.0.1:/'");
        } finally {
            aws.ok("efs", "delete-file-system-policy", "--file-system-id", fsId);
        }
    }

    /** A role tasks may assume, with no policies of its own. */
    private String role(String name) {
        return aws.ok("iam", "create-role", "--role-name", name, "--assume-role-policy-document",
                TaskRoleOnDockerIT.trustedBy("ecs-tasks.amazonaws.com")).at("/Role/Arn").asText();
    }

    private String plainVolume() {
        return "{\"name\":\"efs\",\"efsVolumeConfiguration\":{\"fileSystemId\":\"" + fsId + "\"}}";
    }

    private Path brick(int replica) {
        return stevedore.dataDir.resolve("efs/bricks/" + fsId + "/brick" + replica);
    }

    private int runToExit(String family, String zone, String volume, boolean readOnly, String script) {
        return exitCodeOf(runToStop(family, zone, volume, readOnly, script));
    }

    private static int exitCodeOf(JsonNode task) {
        assertThat(task.at("/containers/0/exitCode").isMissingNode()).as(task.toString()).isFalse();
        return task.at("/containers/0/exitCode").asInt();
    }

    /** Runs a one-container task in the zone with the volume at /mnt/efs and waits until it has stopped. */
    private JsonNode runToStop(String family, String zone, String volume, boolean readOnly, String script) {
        return runToStop(family, zone, volume, readOnly, script, "");
    }

    /** As above, with a task role ("" for none). */
    private JsonNode runToStop(String family, String zone, String volume, boolean readOnly, String script, String taskRole) {
        String taskArn = start(family, zone, volume, readOnly, script, taskRole);
        // Polled through the SDK: a CLI process every half second costs more than the task itself.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> ecs.describeTasks(b -> b
                .cluster(cluster).tasks(taskArn)).tasks().get(0).lastStatus().equals("STOPPED"));
        return aws.ok("ecs", "describe-tasks", "--cluster", cluster, "--tasks", taskArn).at("/tasks/0");
    }

    private String start(String family, String zone, String volume, String script) {
        return start(family, zone, volume, false, script, "");
    }

    /** Registers a one-container task with the volume at /mnt/efs and runs it in the zone; its ARN. */
    private String start(String family, String zone, String volume, boolean readOnly, String script, String taskRole) {
        String container = "[{\"name\":\"main\",\"image\":\"" + IMAGE + "\",\"memory\":16,\"command\":[\"sh\",\"-c\","
                + "\"" + script.replace("\"", "\\\"") + "\"],\"mountPoints\":[{\"sourceVolume\":\"efs\","
                + "\"containerPath\":\"/mnt/efs\",\"readOnly\":" + readOnly + "}]}]";
        List<String> register = new ArrayList<>(List.of("ecs", "register-task-definition", "--family", family,
                "--container-definitions", container, "--volumes", "[" + volume + "]"));
        if (!taskRole.isEmpty()) {
            register.addAll(List.of("--task-role-arn", taskRole));
        }
        aws.ok(register.toArray(String[]::new));
        String taskArn = aws.ok("ecs", "run-task", "--cluster", cluster, "--task-definition", family,
                "--placement-constraints", "type=memberOf,expression=attribute:ecs.availability-zone == " + zone)
                .at("/tasks/0/taskArn").asText();
        assertThat(taskArn).isNotEmpty();
        return taskArn;
    }

    /** The file system mounts under {@code dir} on this host. */
    private static List<Path> mountsUnder(Path dir) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(line -> line.split(" "))
                .filter(fields -> fields.length > 4 && fields[4].startsWith(dir.toString()))
                .map(fields -> Path.of(fields[4])).toList();
    }
}
