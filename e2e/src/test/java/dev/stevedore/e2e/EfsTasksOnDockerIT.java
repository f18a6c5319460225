package dev.stevedore.e2e;

import static dev.stevedore.e2e.HostCommands.exitCode;
import static dev.stevedore.e2e.HostCommands.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import software.amazon.awssdk.services.ecs.model.PlacementConstraintType;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * EFS volumes in tasks, with the AWS CLI: one file system (a replica-3 Gluster volume on the machine of
 * the server, started with {@code up}) with mount targets in two zones, two agents in those zones. Tasks on both write and read
 * the same files; an access point's root is made with its owner and permissions and confines the task;
 * what a root container creates through an access point with a POSIX user belongs to that user;
 * a read-only mount point refuses writes; with IAM authorization the file system policy decides (a role
 * given ClientMount alone mounts read-only, one not named cannot mount); a task naming an unknown file
 * system fails to start with ECS's reason; with one brick's process killed a task's writes go on, and
 * Stevedore starts the brick again, which heals.
 * Data and a running task's mount outlive a kill of the server (its own process, started again), the agents,
 * glusterd and the bricks; mounts are gone once their tasks have stopped. Needs root, GlusterFS,
 * bindfs and /dev/fuse.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@UsesDockerEngine
@StartEarly
class EfsTasksOnDockerIT {
    static final String IMAGE = "stevedore-test/busybox:latest";
    final String cluster = "efs-" + Long.toHexString(System.nanoTime());
    static final String[] ZONES = {"us-east-1a", "us-east-1b"};
    final List<AgentProcess> agents = new ArrayList<>();
    /** What an agent logs when its channel to the server is up: from then on tasks are placed on it. */
    static final String AGENT_CONNECTED = "agent channel connected";
    /** Each agent's task endpoint port, the same again when it is restarted. */
    final int[] endpointPorts = {StevedoreProcess.freePort(), StevedoreProcess.freePort()};
    Path root;
    /** The server as its own process (it is killed and started again on the same data directory and port). */
    final int serverPort = StevedoreProcess.freePort();
    StevedoreProcess server;
    AwsCli aws;
    EcsClient ecs;
    String fsId;
    String accessPointId;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/gluster")) && Files.exists(Path.of("/dev/fuse"))
                && Files.isExecutable(Path.of("/usr/bin/bindfs")), "GlusterFS, bindfs and FUSE are needed");
        root = Files.createTempDirectory("stevedore-efs-tasks");
        // up makes its own machine the storage host.
        server = StevedoreProcess.start(root.resolve("server"), serverPort);
        aws = new AwsCli("http://127.0.0.1:" + serverPort);
        ecs = server.ecs();
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
        return AgentProcess.start(serverPort, cluster, root.resolve("agent-" + i), "i-00000000000000e0" + i,
                ZONES[i], 1024, 512, endpointPorts[i]);
    }

    @AfterAll
    void stop() throws Exception {
        agents.forEach(AgentProcess::close);
        if (ecs != null) {
            ecs.close();
        }
        if (server != null) {
            server.close();
            Docker.removeCluster("arn:aws:ecs:" + InProcessStevedore.REGION + ":" + InProcessStevedore.ACCOUNT
                    + ":cluster/" + cluster);
            for (Path mount : mountsUnder(root)) {
                exitCode("umount", "-l", mount.toString());
            }
            HostCommands.removeGlusterVolumesUnder(server.dataDir);
        }
    }

    @Test
    void tasksInTwoZonesShareTheFileSystemAndTheirMountsGoWithThem() throws Exception {
        assertThat(runToExit("share", "us-east-1a", plainVolume(), false, "echo from-zone-a > /mnt/efs/greeting")).isZero();
        assertThat(runToExit("share", "us-east-1b", plainVolume(), false, "grep -q from-zone-a /mnt/efs/greeting")).isZero();

        await().atMost(Duration.ofSeconds(30)).until(() -> mountsUnder(root).isEmpty());
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
        Task task = runToStop("unknown-fs", "us-east-1a", volume, false, "true");
        assertThat(task.stopCodeAsString()).isEqualTo("TaskFailedToStart");
        assertThat(task.stoppedReason()).startsWith(
                "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: "
                        + "Failed to resolve \"fs-0123456789abcdef0.efs.us-east-1.amazonaws.com\"");
    }

    @Test
    void whileOneBrickIsKilledATasksWritesGoOnAndTheBrickIsStartedAgainAndHeals() throws Exception {
        // Writes a line every 0.1 s until it reads what the other zone's task writes; a failed write ends it with 1.
        String writer = start("writer", "us-east-1b", plainVolume(), "i=0; until grep -q still-written /mnt/efs/degraded 2>/dev/null;"
                + " do i=$((i+1)); echo $i >> /mnt/efs/writes || exit 1; [ $i -lt 3000 ] || exit 2; sleep 0.1; done");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(brick(2).resolve("writes")));
        killAndAwaitReaped(List.of(brickPid(2)));
        long writtenWhenKilled = Files.readAllLines(brick(1).resolve("writes")).size();

        assertThat(runToExit("degraded", "us-east-1a", plainVolume(), false, "echo still-written > /mnt/efs/degraded")).isZero();
        assertThat(exitCodeOf(awaitStopped(writer))).isZero();
        assertThat(Files.readAllLines(brick(1).resolve("writes")).size()).isGreaterThan((int) writtenWhenKilled);
        assertThat(brick(2).resolve("degraded")).doesNotExist();

        // Stevedore starts the brick again when it looks at the file system: on its next metering pass, or
        // at once on a change of the record, such as a tag.
        aws.ok("efs", "tag-resource", "--resource-id", fsId, "--tags", "Key=brick-killed,Value=" + System.nanoTime());
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500)).until(() -> onlineBricks() == 3);
        // The heal makes the entry before it copies the data: healed is when the content is there.
        Path healed = brick(2).resolve("degraded");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            exitCode("gluster", "--mode=script", "volume", "heal", fsId);
            return Files.exists(healed) && Files.readString(healed).equals("still-written\n");
        });
    }

    /**
     * Everything killed at once, as a host's power loss would (but a running task and the FUSE client of
     * its mount): glusterd and the volume's brick processes, the server, both agents. The server, started
     * again on its data directory, starts glusterd, which starts the bricks; the restarted agent keeps the
     * running task's mount, which finds the bricks again; a fresh mount in the other zone reads what both
     * wrote; the mount goes with the task.
     */
    @Test
    void dataAndARunningTasksMountOutliveARestartOfTheServerTheAgentsAndGlusterd() throws Exception {
        // The shell is the container's first process, which SIGTERM stops only when it traps it (else the
        // stop waits out its 30 s timeout).
        String holder = start("holder", ZONES[0], plainVolume(), "echo before > /mnt/efs/survives; trap 'exit 0' TERM; sleep 600 & wait");
        await().atMost(Duration.ofSeconds(60)).until(() -> status(holder).equals("RUNNING")
                && Files.exists(brick(1).resolve("survives")));
        Path agentDir = root.resolve("agent-0");
        assertThat(mountsUnder(agentDir)).hasSize(1);
        killAndAwaitReaped(List.of(glusterd().orElseThrow().pid(), brickPid(1), brickPid(2), brickPid(3)));
        assertThat(exitCode("gluster", "--mode=script", "volume", "list")).isNotZero();
        server.kill();
        int[] connections = new int[agents.size()];
        for (int i = 0; i < agents.size(); i++) {
            agents.get(i).kill();
            // The log goes on in the same file: the next connection is the restarted agent's.
            connections[i] = agents.get(i).output().split(AGENT_CONNECTED).length;
        }

        // The agents first: they take longer to start, and wait for the server to register.
        for (int i = 0; i < agents.size(); i++) {
            agents.set(i, startAgent(i));
        }
        server = StevedoreProcess.start(root.resolve("server"), serverPort);
        // Nothing but Stevedore starts glusterd again; glusterd starts the volume's bricks.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> onlineBricks() == 3);
        for (int i = 0; i < agents.size(); i++) {
            int before = connections[i];
            AgentProcess agent = agents.get(i);
            await().atMost(Duration.ofSeconds(60)).until(() -> agent.output().split(AGENT_CONNECTED).length > before);
        }
        assertThat(status(holder)).isEqualTo("RUNNING");
        assertThat(mountsUnder(agentDir)).hasSize(1);
        // On the holder's host, through the mount made before the restarts.
        assertThat(runToExit("after-restarts", ZONES[0], plainVolume(), false,
                "grep -qx before /mnt/efs/survives && echo after >> /mnt/efs/survives")).isZero();
        assertThat(runToExit("after-restarts", ZONES[1], plainVolume(), false,
                "grep -qx before /mnt/efs/survives && grep -qx after /mnt/efs/survives")).isZero();
        for (int replica = 1; replica <= 3; replica++) {
            assertThat(brick(replica).resolve("survives")).hasContent("before\nafter");
        }

        ecs.stopTask(b -> b.cluster(cluster).task(holder));
        await().atMost(Duration.ofSeconds(60)).until(() -> mountsUnder(root).isEmpty());
    }

    private String status(String taskArn) {
        return ecs.describeTasks(b -> b.cluster(cluster).tasks(taskArn)).tasks().get(0).lastStatus();
    }

    /**
     * SIGKILL, then waits until the processes are gone from /proc: glusterd takes a brick whose pid file
     * names a process still there (a zombie not yet reaped by this machine's init) for a running one, and
     * would neither start it again nor let clients find it.
     */
    private static void killAndAwaitReaped(List<Long> pids) {
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> pids.stream().noneMatch(pid -> Files.exists(Path.of("/proc", Long.toString(pid)))));
    }

    /** This host's glusterd, if it runs (its executable is glusterfsd's, started by another name). */
    private static java.util.Optional<ProcessHandle> glusterd() {
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                return Files.readString(Path.of("/proc", Long.toString(p.pid()), "comm")).strip().equals("glusterd");
            } catch (java.io.IOException gone) {
                return false;
            }
        }).findFirst();
    }

    /** The process id of the volume's brick {@code replica}, as glusterd reports it. */
    private long brickPid(int replica) throws Exception {
        String status = run("gluster", "--mode=script", "volume", "status", fsId, "--xml");
        Matcher pid = Pattern.compile("<path>" + Pattern.quote(brick(replica).toString()) + "</path>.*?<pid>(\\d+)</pid>",
                Pattern.DOTALL).matcher(status);
        assertThat(pid.find()).as(status).isTrue();
        return Long.parseLong(pid.group(1));
    }

    /** How many of the volume's bricks glusterd reports online (0 when it does not answer). */
    private int onlineBricks() throws Exception {
        Process p = new ProcessBuilder("gluster", "--mode=script", "volume", "status", fsId, "--xml")
                .redirectErrorStream(true).start();
        String status = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        int online = 0;
        for (int replica = 1; replica <= 3; replica++) {
            Matcher brick = Pattern.compile("<path>" + Pattern.quote(brick(replica).toString()) + "</path>.*?<status>(\\d)</status>",
                    Pattern.DOTALL).matcher(status);
            online += brick.find() && brick.group(1).equals("1") ? 1 : 0;
        }
        return online;
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
            Task refused = runToStop("iam-stranger", "us-east-1a", volume, false, "true", stranger);
            assertThat(refused.stopCodeAsString()).isEqualTo("TaskFailedToStart");
            assertThat(refused.stoppedReason())
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
        return server.dataDir.resolve("efs/bricks/" + fsId + "/brick" + replica);
    }

    private int runToExit(String family, String zone, String volume, boolean readOnly, String script) {
        return exitCodeOf(runToStop(family, zone, volume, readOnly, script));
    }

    private static int exitCodeOf(Task task) {
        assertThat(task.containers().get(0).exitCode()).as(task.toString()).isNotNull();
        return task.containers().get(0).exitCode();
    }

    /** Runs a one-container task in the zone with the volume at /mnt/efs and waits until it has stopped. */
    private Task runToStop(String family, String zone, String volume, boolean readOnly, String script) {
        return runToStop(family, zone, volume, readOnly, script, "");
    }

    /** As above, with a task role ("" for none). */
    private Task runToStop(String family, String zone, String volume, boolean readOnly, String script, String taskRole) {
        return awaitStopped(start(family, zone, volume, readOnly, script, taskRole));
    }

    /** The task once it has stopped. */
    private Task awaitStopped(String taskArn) {
        // Polled through the SDK: a CLI process every half second costs more than the task itself.
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> ecs.describeTasks(b -> b
                .cluster(cluster).tasks(taskArn)).tasks().get(0), task -> task.lastStatus().equals("STOPPED"));
    }

    private String start(String family, String zone, String volume, String script) {
        return start(family, zone, volume, false, script, "");
    }

    /**
     * Registers a one-container task with the volume at /mnt/efs (with the AWS CLI: the volume is what is
     * tested) and runs it in the zone (with the SDK, which starts in no time); its ARN.
     */
    private String start(String family, String zone, String volume, boolean readOnly, String script, String taskRole) {
        String container = "[{\"name\":\"main\",\"image\":\"" + IMAGE + "\",\"memory\":16,\"command\":[\"sh\",\"-c\","
                + "\"" + script.replace("\"", "\\\"") + "\"],\"mountPoints\":[{\"sourceVolume\":\"efs\","
                + "\"containerPath\":\"/mnt/efs\",\"readOnly\":" + readOnly + "}]}]";
        List<String> register = new ArrayList<>(List.of("ecs", "register-task-definition", "--family", family,
                "--container-definitions", container, "--volumes", "[" + volume + "]"));
        if (!taskRole.isEmpty()) {
            register.addAll(List.of("--task-role-arn", taskRole));
        }
        String definition = aws.ok(register.toArray(String[]::new)).at("/taskDefinition/taskDefinitionArn").asText();
        String taskArn = ecs.runTask(b -> b.cluster(cluster).taskDefinition(definition).placementConstraints(c -> c
                .type(PlacementConstraintType.MEMBER_OF).expression("attribute:ecs.availability-zone == " + zone)))
                .tasks().get(0).taskArn();
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
