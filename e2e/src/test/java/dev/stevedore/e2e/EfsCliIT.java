package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.stevedore.e2e.HostCommands.exitCode;
import static dev.stevedore.e2e.HostCommands.run;

/**
 * EFS through the real AWS CLI v2 against a server that is its own storage host: a file system is
 * created (once per creation token), becomes available when its replica-3 Gluster volume has started,
 * gets a mount target in a default subnet (an address of the subnet, shown as a network interface) and
 * an access point; bad input gets EFS's errors; a FUSE mount of the volume writes and reads; the file
 * system cannot be deleted while it has a mount target, and once deleted its volume is gone.
 * Needs root, Debian's glusterfs-server and glusterfs-client, and /dev/fuse.
 */
class EfsCliIT {
    static InProcessStevedore stevedore;
    static AwsCli aws;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/gluster")) && Files.exists(Path.of("/dev/fuse")),
                "GlusterFS and FUSE are needed");
        stevedore = InProcessStevedore.start(Files.createTempDirectory("stevedore-efs"),
                config -> config.withFileSystemStorage(true));
        aws = new AwsCli(stevedore.plane.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        if (stevedore != null) {
            stevedore.close();
            // A failed run leaves its volumes; they must not outlive the test on this machine.
            HostCommands.removeGlusterVolumesUnder(stevedore.dataDir);
        }
    }

    @Test
    void aFileSystemGetsAVolumeAMountTargetAndAnAccessPointAndGoesAwayWithItsVolume() throws Exception {
        JsonNode created = aws.ok("efs", "create-file-system", "--creation-token", "shared-1",
                "--tags", "Key=Name,Value=shared", "--encrypted");
        String fsId = created.path("FileSystemId").asText();
        assertThat(fsId).matches("fs-[0-9a-f]{17}");
        assertThat(created.path("LifeCycleState").asText()).isEqualTo("creating");
        assertThat(created.path("Name").asText()).isEqualTo("shared");
        assertThat(created.path("PerformanceMode").asText()).isEqualTo("generalPurpose");
        assertThat(created.path("FileSystemArn").asText())
                .isEqualTo("arn:aws:elasticfilesystem:us-east-1:" + InProcessStevedore.ACCOUNT + ":file-system/" + fsId);
        String again = aws.fails("FileSystemAlreadyExists", "efs", "create-file-system", "--creation-token", "shared-1");
        assertThat(again).contains(fsId);

        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> aws.ok("efs", "describe-file-systems",
                "--file-system-id", fsId).path("FileSystems").get(0).path("LifeCycleState").asText().equals("available"));
        String info = run("gluster", "--mode=script", "volume", "info", fsId);
        assertThat(info).contains("Type: Replicate", "Status: Started", "Number of Bricks: 1 x 3 = 3");
        assertThat(aws.ok("efs", "describe-file-systems", "--creation-token", "shared-1").path("FileSystems")
                .get(0).path("FileSystemId").asText()).isEqualTo(fsId);

        JsonNode subnet = aws.ok("ec2", "describe-subnets", "--filters", "Name=availability-zone,Values=us-east-1a",
                "Name=default-for-az,Values=true").path("Subnets").get(0);
        String subnetId = subnet.path("SubnetId").asText();
        long freeBefore = subnet.path("AvailableIpAddressCount").asLong();
        JsonNode target = aws.ok("efs", "create-mount-target", "--file-system-id", fsId, "--subnet-id", subnetId);
        assertThat(target.path("LifeCycleState").asText()).isEqualTo("available");
        assertThat(target.path("AvailabilityZoneName").asText()).isEqualTo("us-east-1a");
        assertThat(target.path("IpAddress").asText()).isEqualTo("172.31.15.254");
        assertThat(aws.ok("ec2", "describe-subnets", "--subnet-ids", subnetId).path("Subnets").get(0)
                .path("AvailableIpAddressCount").asLong()).isEqualTo(freeBefore - 1);
        JsonNode eni = aws.ok("ec2", "describe-network-interfaces", "--network-interface-ids",
                target.path("NetworkInterfaceId").asText()).path("NetworkInterfaces").get(0);
        assertThat(eni.path("PrivateIpAddress").asText()).isEqualTo("172.31.15.254");
        assertThat(eni.path("Description").asText()).contains(fsId);

        String vpcId = subnet.path("VpcId").asText();
        String sameZone = aws.ok("ec2", "create-subnet", "--vpc-id", vpcId, "--cidr-block", "172.31.96.0/20",
                "--availability-zone", "us-east-1a").path("Subnet").path("SubnetId").asText();
        assertThat(aws.fails("MountTargetConflict", "efs", "create-mount-target", "--file-system-id", fsId,
                "--subnet-id", sameZone)).contains("mount target already exists in this AZ");
        assertThat(aws.ok("efs", "describe-file-systems", "--file-system-id", fsId).path("FileSystems").get(0)
                .path("NumberOfMountTargets").asInt()).isEqualTo(1);

        JsonNode point = aws.ok("efs", "create-access-point", "--file-system-id", fsId,
                "--posix-user", "{\"Uid\":1000,\"Gid\":1000,\"SecondaryGids\":[2000]}",
                "--root-directory", "Path=/data/app,CreationInfo={OwnerUid=1000,OwnerGid=1000,Permissions=0750}");
        assertThat(point.path("AccessPointId").asText()).startsWith("fsap-");
        assertThat(point.path("RootDirectory").path("Path").asText()).isEqualTo("/data/app");
        assertThat(aws.fails("BadRequest", "efs", "create-access-point", "--file-system-id", fsId,
                "--root-directory", "Path=/data/../etc")).contains("RootDirectory.Path");
        aws.fails("BadRequest", "efs", "create-access-point", "--file-system-id", fsId,
                "--posix-user", "Uid=4294967296,Gid=1");
        aws.fails("FileSystemNotFound", "efs", "describe-file-systems", "--file-system-id", "fs-0123456789abcdef0");

        String mountedText = writeAndReadThroughFuse(info, fsId);
        assertThat(mountedText).isEqualTo("written through one mount, read through another");

        assertThat(aws.fails("FileSystemInUse", "efs", "delete-file-system", "--file-system-id", fsId))
                .contains("cannot be deleted because it has mount targets");
        aws.ok("efs", "delete-mount-target", "--mount-target-id", target.path("MountTargetId").asText());
        assertThat(aws.ok("ec2", "describe-subnets", "--subnet-ids", subnetId).path("Subnets").get(0)
                .path("AvailableIpAddressCount").asLong()).isEqualTo(freeBefore);
        aws.ok("efs", "delete-file-system", "--file-system-id", fsId);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                aws.run("efs", "describe-file-systems", "--file-system-id", fsId).stderr().contains("FileSystemNotFound"));
        assertThat(exitCode("gluster", "--mode=script", "volume", "info", fsId)).isNotZero();
        assertThat(stevedore.dataDir.resolve("efs/bricks/" + fsId)).doesNotExist();
    }

    /** Mounts the volume twice with the FUSE client, writes through one and reads through the other. */
    private static String writeAndReadThroughFuse(String volumeInfo, String fsId) throws Exception {
        String host = volumeInfo.lines().filter(l -> l.startsWith("Brick1:")).findFirst().orElseThrow()
                .substring("Brick1:".length()).strip().split(":")[0];
        Path one = Files.createTempDirectory("efs-mount-1");
        Path two = Files.createTempDirectory("efs-mount-2");
        run("mount", "-t", "glusterfs", host + ":/" + fsId, one.toString());
        try {
            run("mount", "-t", "glusterfs", host + ":/" + fsId, two.toString());
            try {
                Files.writeString(one.resolve("hello.txt"), "written through one mount, read through another");
                return Files.readString(two.resolve("hello.txt"), StandardCharsets.UTF_8);
            } finally {
                run("umount", two.toString());
            }
        } finally {
            run("umount", one.toString());
        }
    }
}
