package dev.stevedore.control.efs;

import dev.stevedore.control.ecs.task.TaskRoleTrust;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.agent.EfsVolumeAssignment;
import dev.stevedore.model.agent.EfsVolumeAssignment.DirectoryCreation;
import dev.stevedore.model.agent.EfsVolumeAssignment.Owner;
import dev.stevedore.model.ecs.EFSVolumeConfiguration;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.Volume;
import dev.stevedore.model.efs.CreationInfo;
import dev.stevedore.model.efs.PosixUser;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A task's EFS volumes resolved for its agent: each {@code efsVolumeConfiguration} becomes the Gluster
 * volume of its file system on the storage host, and the directory the task sees. What ECS's EFS mount
 * helper would fail on fails here, with the reason the agent stops the task with: a file system that
 * does not exist or is not {@code available}, no mount target in the task's Availability Zone, an access
 * point of another file system or none, and (with {@code iam: ENABLED}) a task role not allowed to mount.
 */
public final class TaskFileSystems {
    private static final String MOUNT_FAILED = EfsVolumeAssignment.MOUNT_FAILED;

    private final StateStore store;
    private final MountAuthorization authorization;

    public TaskFileSystems(StateStore store, MountAuthorization authorization) {
        this.store = Objects.requireNonNull(store, "store");
        this.authorization = Objects.requireNonNull(authorization, "authorization");
    }

    /** The EFS volumes of {@code task}, started in {@code accountId}'s {@code region}, one per EFS volume of its definition. */
    public List<EfsVolumeAssignment> of(String accountId, String region, Task task, TaskDefinition definition) {
        if (definition.volumes() == null) {
            return List.of();
        }
        EfsScope scope = new EfsScope(accountId, region);
        List<EfsVolumeAssignment> out = new ArrayList<>();
        for (Volume volume : definition.volumes()) {
            if (volume.efsVolumeConfiguration() != null && volume.name() != null) {
                out.add(resolve(scope, task, definition, volume.name(), volume.efsVolumeConfiguration()));
            }
        }
        return out;
    }

    private EfsVolumeAssignment resolve(EfsScope scope, Task task, TaskDefinition definition, String name,
                                        EFSVolumeConfiguration efs) {
        String id = efs.fileSystemId() == null ? "" : efs.fileSystemId();
        FileSystemStore files = new FileSystemStore(store, scope);
        Optional<StoredFileSystem> fs = files.find(id)
                .filter(f -> StoredFileSystem.AVAILABLE.equals(f.lifeCycleState()));
        Optional<String> server = storageHost(store);
        boolean reachable = files.mountTargets().stream()
                .anyMatch(mt -> mt.fileSystemId().equals(id) && inZone(mt, task.availabilityZone()));
        if (fs.isEmpty() || server.isEmpty() || !reachable) {
            // What efs-utils says when the file system's name does not resolve in the task's VPC and zone.
            return EfsVolumeAssignment.failed(name, id, MOUNT_FAILED + "Failed to resolve \"" + id + ".efs." + scope.region()
                    + ".amazonaws.com\" - check that your file system ID is correct, and ensure that the VPC has an EFS"
                    + " mount target for this file system ID.");
        }
        String path = efs.rootDirectory() == null || efs.rootDirectory().isBlank() ? "/" : efs.rootDirectory();
        DirectoryCreation creation = DirectoryCreation.NONE;
        Owner owner = Owner.NONE;
        String accessPointId = efs.authorizationConfig() == null ? null : efs.authorizationConfig().accessPointId();
        if (accessPointId != null) {
            Optional<StoredAccessPoint> ap = files.accessPoints().stream()
                    .filter(a -> a.accessPointId().equals(accessPointId) && a.fileSystemId().equals(id)).findFirst();
            if (ap.isEmpty()) {
                return EfsVolumeAssignment.failed(name, id, MOUNT_FAILED + accessDenied());
            }
            path = ap.get().rootDirectory().path() == null ? "/" : ap.get().rootDirectory().path();
            CreationInfo info = ap.get().rootDirectory().creationInfo();
            if (info != null) {
                creation = new DirectoryCreation(info.ownerUid(), info.ownerGid(), info.permissions());
            }
            Optional<PosixUser> user = ap.get().posixUser();
            if (user.isPresent()) {
                owner = new Owner(user.get().uid(), user.get().gid(), user.get().secondaryGids());
            }
        }
        boolean readOnly = false;
        if (efs.authorizationConfig() != null && "ENABLED".equals(efs.authorizationConfig().iam())) {
            String role = taskRole(task, definition);
            String fileSystemArn = scope.fileSystemArn(id);
            String policy = fs.get().policy();
            if (role.isEmpty() || !allows(role, MountAuthorization.CLIENT_MOUNT, fileSystemArn, policy)) {
                return EfsVolumeAssignment.failed(name, id, MOUNT_FAILED + accessDenied());
            }
            readOnly = !allows(role, MountAuthorization.CLIENT_WRITE, fileSystemArn, policy);
        }
        return new EfsVolumeAssignment(name, id, server.get(), id, path, readOnly, creation, "",
                accessPointId == null ? "" : accessPointId, owner);
    }

    /** Without a file system policy, EFS lets every client that reaches a mount target do everything. */
    private boolean allows(String role, String action, String fileSystemArn, String policy) {
        return policy.isEmpty() || authorization.allows(role, action, fileSystemArn, policy);
    }

    /** What the NFS client says when the server refuses the mount (an access point or IAM refusal). */
    private static String accessDenied() {
        return "b'mount.nfs4: access denied by server while mounting 127.0.0.1:/'";
    }

    /** A task with no zone (an instance that did not register one) is served by any mount target. */
    private static boolean inZone(StoredMountTarget mt, String zone) {
        return zone == null || zone.isEmpty() || zone.equals(mt.availabilityZoneName());
    }

    private static String taskRole(Task task, TaskDefinition definition) {
        return TaskRoleTrust.taskRole(definition, task.overrides()).orElse("");
    }

    /** The key naming the host that serves file system volumes: one for every account and Region, outside theirs. */
    static String storageHostKey() {
        return "/efs-storage/host";
    }

    /** The host serving file system volumes, once a storage controller has said it. */
    static Optional<String> storageHost(StateStore store) {
        return store.get(storageHostKey()).map(KeyValue::value)
                .map(v -> Records.decode(v, StorageHost.class)).map(StorageHost::address);
    }

    /** The record under {@link #storageHostKey()}. */
    record StorageHost(String address) {
    }
}
