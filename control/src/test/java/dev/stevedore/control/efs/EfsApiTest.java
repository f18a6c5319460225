package dev.stevedore.control.efs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.control.ec2.DefaultVpc;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ec2.VpcDirectory;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.SqliteStateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EFS API over a real SQLite store, with the volume controller running over volumes kept in
 * memory: what the API promises about tokens, mount targets, access points and deletion, without Gluster.
 */
class EfsApiTest {
    private static final String ACCOUNT = "123456789012";
    private static final String REGION = "us-east-1";

    @TempDir
    Path dir;
    private StateStore store;
    private Map<String, JsonOperation> operations;
    private final MemoryVolumes volumes = new MemoryVolumes();
    private VolumeController controller;

    /** Volumes as a set of names, which can be made to fail at create. */
    static final class MemoryVolumes implements Volumes {
        final Set<String> started = new ConcurrentSkipListSet<>();
        final java.util.concurrent.atomic.AtomicInteger failedAttempts = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean failing;

        @Override
        public void ensureStarted(String name) {
            if (failing) {
                failedAttempts.incrementAndGet();
                throw new IllegalStateException("volume create failed");
            }
            started.add(name);
        }

        @Override
        public void remove(String name) {
            started.remove(name);
        }

        @Override
        public Set<String> names() {
            if (failing) {
                throw new IllegalStateException("glusterd does not answer");
            }
            return Set.copyOf(started);
        }

        @Override
        public String server() {
            return "192.0.2.10";
        }

        @Override
        public long usedBytes(String name) {
            return 1000;
        }
    }

    private void start() {
        store = SqliteStateStore.open(dir.resolve("state.db"));
        operations = new EfsApi(store, Clock.systemUTC(), new VpcDirectory(store)).operations();
        controller = new VolumeController(store, volumes, Clock.systemUTC(), Duration.ofMinutes(1));
        controller.start();
    }

    @AfterEach
    void stop() {
        if (controller != null) {
            controller.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private JsonNode call(String operation, Map<String, Object> input) {
        ObjectNode tree = AwsJson.mapper().valueToTree(input);
        CallContext ctx = new CallContext(UUID.randomUUID().toString(),
                new Principal(ACCOUNT, "AKIATEST", "arn:aws:iam::" + ACCOUNT + ":root"), operation, REGION);
        return AwsJson.mapper().valueToTree(operations.get(operation).handle(ctx, tree));
    }

    /** A call that must fail with {@code code} and leave the store as it was. */
    private AwsException fails(String code, String operation, Map<String, Object> input) {
        Map<String, Long> before = snapshot();
        try {
            call(operation, input);
        } catch (AwsException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            assertThat(snapshot()).isEqualTo(before);
            return e;
        }
        throw new AssertionError(operation + " did not fail with " + code);
    }

    private Map<String, Long> snapshot() {
        Map<String, Long> keys = new LinkedHashMap<>();
        for (KeyValue kv : store.range("/")) {
            keys.put(kv.key(), kv.modRevision());
        }
        return keys;
    }

    private String availableFileSystem(String token) {
        String id = call("CreateFileSystem", Map.of("CreationToken", token)).path("FileSystemId").asText();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("available"));
        return id;
    }

    private String state(String id) {
        return call("DescribeFileSystems", Map.of("FileSystemId", id)).path("FileSystems").get(0)
                .path("LifeCycleState").asText();
    }

    private String defaultSubnet(String zone) {
        DefaultVpc.ensure(store, new EcsScope(ACCOUNT, REGION));
        return store.range(Ec2Keys.subnets(new EcsScope(ACCOUNT, REGION))).stream()
                .map(kv -> AwsJson.convert(readTree(kv), dev.stevedore.model.ec2.Subnet.class))
                .filter(s -> Boolean.TRUE.equals(s.defaultForAz()) && s.availabilityZone().equals(zone))
                .findFirst().orElseThrow().subnetId();
    }

    private static JsonNode readTree(KeyValue kv) {
        try {
            return AwsJson.mapper().readTree(kv.value());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aCreationTokenMakesOneFileSystemAndARetryIsToldItsId() {
        start();
        String id = availableFileSystem("tok");

        AwsException again = fails("FileSystemAlreadyExists", "CreateFileSystem", Map.of("CreationToken", "tok"));

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.extraMembers()).containsEntry("FileSystemId", id);
        assertThat(call("DescribeFileSystems", Map.of()).path("FileSystems")).hasSize(1);
    }

    @Test
    void aFileSystemIsAvailableOnceItsVolumeRunsAndItsSizeIsMetered() {
        start();
        String id = availableFileSystem("tok");

        assertThat(volumes.started).containsExactly(id);
        assertThat(call("DescribeFileSystems", Map.of("FileSystemId", id)).path("FileSystems").get(0)
                .path("SizeInBytes").path("Value").asLong()).isEqualTo(StoredFileSystem.EMPTY_SIZE + 1000);
    }

    @Test
    void aStorageHostThatFailsLeavesTheFileSystemCreatingAndTheServerRunning() {
        volumes.failing = true;
        start();
        String id = call("CreateFileSystem", Map.of("CreationToken", "tok")).path("FileSystemId").asText();

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> volumes.failedAttempts.get() >= 2);

        assertThat(state(id)).isEqualTo("creating");
        assertThat(volumes.started).isEmpty();
    }

    @Test
    void oneMountTargetPerZoneAndNoDeleteWhileOneExists() {
        start();
        String id = availableFileSystem("tok");
        String subnetA = defaultSubnet("us-east-1a");
        JsonNode target = call("CreateMountTarget", Map.of("FileSystemId", id, "SubnetId", subnetA));

        AwsException conflict = fails("MountTargetConflict", "CreateMountTarget",
                Map.of("FileSystemId", id, "SubnetId", subnetA));
        AwsException inUse = fails("FileSystemInUse", "DeleteFileSystem", Map.of("FileSystemId", id));
        call("CreateMountTarget", Map.of("FileSystemId", id, "SubnetId", defaultSubnet("us-east-1b")));

        assertThat(target.path("IpAddress").asText()).isEqualTo("172.31.15.254");
        assertThat(conflict.getMessage()).isEqualTo("mount target already exists in this AZ");
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(call("DescribeMountTargets", Map.of("FileSystemId", id)).path("MountTargets")).hasSize(2);
        assertThat(store.get(Ec2Keys.subnetAddress(new EcsScope(ACCOUNT, REGION), subnetA, "172.31.15.254")))
                .isPresent();
    }

    @Test
    void aMountTargetNeedsAnAvailableFileSystemAndAKnownSubnet() {
        start();
        String other = availableFileSystem("other");
        volumes.failing = true;
        String id = call("CreateFileSystem", Map.of("CreationToken", "tok")).path("FileSystemId").asText();

        fails("IncorrectFileSystemLifeCycleState", "CreateMountTarget",
                Map.of("FileSystemId", id, "SubnetId", defaultSubnet("us-east-1a")));
        fails("SubnetNotFound", "CreateMountTarget",
                Map.of("FileSystemId", other, "SubnetId", "subnet-0123456789abcdef0"));
        fails("FileSystemNotFound", "CreateMountTarget",
                Map.of("FileSystemId", "fs-0123456789abcdef0", "SubnetId", defaultSubnet("us-east-1a")));
    }

    @Test
    void anAccessPointRootMustStayInsideTheFileSystem() {
        start();
        String id = availableFileSystem("tok");

        fails("BadRequest", "CreateAccessPoint", Map.of("FileSystemId", id, "ClientToken", "c1",
                "RootDirectory", Map.of("Path", "/a/./b")));
        fails("BadRequest", "CreateAccessPoint", Map.of("FileSystemId", id, "ClientToken", "c1",
                "RootDirectory", Map.of("Path", "/a/b/c/d/e")));
        JsonNode point = call("CreateAccessPoint", Map.of("FileSystemId", id, "ClientToken", "c1",
                "PosixUser", Map.of("Uid", 1000, "Gid", 1000)));
        AwsException again = fails("AccessPointAlreadyExists", "CreateAccessPoint",
                Map.of("FileSystemId", id, "ClientToken", "c1"));

        assertThat(point.path("RootDirectory").path("Path").asText()).isEqualTo("/");
        assertThat(again.extraMembers()).containsEntry("AccessPointId", point.path("AccessPointId").asText());
    }

    @Test
    void aDeletedFileSystemGoesOnceItsVolumeIsGoneWithItsAccessPointsAndToken() {
        start();
        String id = availableFileSystem("tok");
        call("CreateAccessPoint", Map.of("FileSystemId", id, "ClientToken", "c1"));

        call("DeleteFileSystem", Map.of("FileSystemId", id));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> store.range("/efs/").isEmpty());
        assertThat(volumes.started).isEmpty();
        assertThatThrownBy(() -> call("DescribeFileSystems", Map.of("FileSystemId", id)))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("FileSystemNotFound"));
    }

    @Test
    void aVolumeNoFileSystemNamesIsRemovedAtStart() {
        volumes.started.add("fs-0123456789abcdef0");

        start();

        assertThat(volumes.started).isEmpty();
    }

    @Test
    void policiesLifecycleAndBackupAreStoredAndAnswered() {
        start();
        String id = availableFileSystem("tok");
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
                + "\"Action\":\"elasticfilesystem:ClientMount\",\"Resource\":\"*\"}]}";

        fails("PolicyNotFound", "DescribeFileSystemPolicy", Map.of("FileSystemId", id));
        fails("InvalidPolicyException", "PutFileSystemPolicy", Map.of("FileSystemId", id, "Policy", "{}"));
        call("PutFileSystemPolicy", Map.of("FileSystemId", id, "Policy", policy));
        call("PutLifecycleConfiguration", Map.of("FileSystemId", id,
                "LifecyclePolicies", java.util.List.of(Map.of("TransitionToIA", "AFTER_30_DAYS"))));
        call("PutBackupPolicy", Map.of("FileSystemId", id, "BackupPolicy", Map.of("Status", "ENABLED")));

        assertThat(call("DescribeFileSystemPolicy", Map.of("FileSystemId", id)).path("Policy").asText()).isEqualTo(policy);
        assertThat(call("DescribeLifecycleConfiguration", Map.of("FileSystemId", id)).path("LifecyclePolicies")
                .get(0).path("TransitionToIA").asText()).isEqualTo("AFTER_30_DAYS");
        assertThat(call("DescribeBackupPolicy", Map.of("FileSystemId", id)).path("BackupPolicy").path("Status")
                .asText()).isEqualTo("ENABLED");
    }

    private static dev.stevedore.model.ecs.TaskDefinition mounting(dev.stevedore.model.ecs.EFSVolumeConfiguration efs) {
        return dev.stevedore.model.ecs.TaskDefinition.builder().taskRoleArn("arn:aws:iam::" + ACCOUNT + ":role/app")
                .volumes(java.util.List.of(dev.stevedore.model.ecs.Volume.builder().name("shared")
                        .efsVolumeConfiguration(efs).build())).build();
    }

    private static dev.stevedore.model.ecs.Task taskIn(String zone) {
        return dev.stevedore.model.ecs.Task.builder().taskArn("arn:aws:ecs:us-east-1:" + ACCOUNT + ":task/c/1")
                .availabilityZone(zone).build();
    }

    private dev.stevedore.model.agent.EfsVolumeAssignment resolve(MountAuthorization authorization, String zone,
                                                                   dev.stevedore.model.ecs.EFSVolumeConfiguration efs) {
        return new TaskFileSystems(store, authorization).of(ACCOUNT, REGION, taskIn(zone), mounting(efs)).get(0);
    }

    @Test
    void aTasksEfsVolumeResolvesToItsFileSystemsVolumeOnlyInAZoneWithAMountTarget() {
        start();
        String id = availableFileSystem("tok");
        call("CreateMountTarget", Map.of("FileSystemId", id, "SubnetId", defaultSubnet("us-east-1a")));
        var efs = dev.stevedore.model.ecs.EFSVolumeConfiguration.builder().fileSystemId(id).rootDirectory("/exports").build();

        var resolved = resolve((r, a, f, p) -> true, "us-east-1a", efs);
        assertThat(resolved).isEqualTo(new dev.stevedore.model.agent.EfsVolumeAssignment("shared", id, "192.0.2.10", id,
                "/exports", false, dev.stevedore.model.agent.EfsVolumeAssignment.DirectoryCreation.NONE, ""));
        assertThat(resolve((r, a, f, p) -> true, "us-east-1b", efs).failure()).isEqualTo(
                "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: "
                        + "Failed to resolve \"" + id + ".efs.us-east-1.amazonaws.com\" - check that your file system ID is "
                        + "correct, and ensure that the VPC has an EFS mount target for this file system ID.");
    }

    @Test
    void anAccessPointGivesItsRootCreationInfoAndPosixUserAndOneOfAnotherFileSystemIsRefused() {
        start();
        String id = availableFileSystem("tok");
        String other = availableFileSystem("other");
        call("CreateMountTarget", Map.of("FileSystemId", id, "SubnetId", defaultSubnet("us-east-1a")));
        String point = call("CreateAccessPoint", Map.of("FileSystemId", id, "ClientToken", "c1", "RootDirectory",
                Map.of("Path", "/apps/one", "CreationInfo", Map.of("OwnerUid", 1000, "OwnerGid", 1001, "Permissions", "0750")),
                "PosixUser", Map.of("Uid", 1234, "Gid", 5678, "SecondaryGids", List.of(4321))))
                .path("AccessPointId").asText();
        String elsewhere = call("CreateAccessPoint", Map.of("FileSystemId", other, "ClientToken", "c2")).path("AccessPointId").asText();

        var resolved = resolve((r, a, f, p) -> true, "us-east-1a", efsWith(id, point, "DISABLED"));
        assertThat(resolved.path()).isEqualTo("/apps/one");
        assertThat(resolved.creation()).isEqualTo(new dev.stevedore.model.agent.EfsVolumeAssignment.DirectoryCreation(1000, 1001, "0750"));
        assertThat(resolved.accessPointId()).isEqualTo(point);
        assertThat(resolved.posixUser()).contains(new dev.stevedore.model.agent.EfsVolumeAssignment.Owner(1234, 5678, List.of(4321L)));
        assertThat(resolve((r, a, f, p) -> true, "us-east-1a", efsWith(id, elsewhere, "DISABLED")).failure())
                .endsWith("stderr: b'mount.nfs4: access denied by server while mounting 127.0.0.1:/'");
    }

    private static dev.stevedore.model.ecs.EFSVolumeConfiguration efsWith(String id, String accessPoint, String iam) {
        return dev.stevedore.model.ecs.EFSVolumeConfiguration.builder().fileSystemId(id).transitEncryption("ENABLED")
                .authorizationConfig(dev.stevedore.model.ecs.EFSAuthorizationConfig.builder().accessPointId(accessPoint)
                        .iam(iam).build()).build();
    }

    @Test
    void iamAuthorizationAsksTheFileSystemPolicyAndMountsReadOnlyWithoutClientWrite() {
        start();
        String id = availableFileSystem("tok");
        call("CreateMountTarget", Map.of("FileSystemId", id, "SubnetId", defaultSubnet("us-east-1a")));
        var iam = efsWith(id, null, "ENABLED");
        MountAuthorization mountOnly = (role, action, fs, policy) -> action.equals(MountAuthorization.CLIENT_MOUNT);

        // No file system policy: EFS grants every client everything.
        assertThat(resolve(mountOnly, "us-east-1a", iam).readOnly()).isFalse();
        call("PutFileSystemPolicy", Map.of("FileSystemId", id, "Policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{"
                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"elasticfilesystem:ClientMount\","
                + "\"Resource\":\"*\"}]}"));
        var resolved = resolve(mountOnly, "us-east-1a", iam);
        assertThat(resolved.failure()).isEmpty();
        assertThat(resolved.readOnly()).isTrue();
        assertThat(resolve((role, action, fs, policy) -> false, "us-east-1a", iam).failure())
                .endsWith("stderr: b'mount.nfs4: access denied by server while mounting 127.0.0.1:/'");
    }
}
