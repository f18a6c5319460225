package dev.stevedore.control.efs;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.efs.BackupPolicy;
import dev.stevedore.model.efs.BackupPolicyDescription;
import dev.stevedore.model.efs.DeleteFileSystemPolicyRequest;
import dev.stevedore.model.efs.DescribeBackupPolicyRequest;
import dev.stevedore.model.efs.DescribeFileSystemPolicyRequest;
import dev.stevedore.model.efs.DescribeLifecycleConfigurationRequest;
import dev.stevedore.model.efs.FileSystemPolicyDescription;
import dev.stevedore.model.efs.LifecycleConfigurationDescription;
import dev.stevedore.model.efs.LifecyclePolicy;
import dev.stevedore.model.efs.PutBackupPolicyRequest;
import dev.stevedore.model.efs.PutFileSystemPolicyRequest;
import dev.stevedore.model.efs.PutLifecycleConfigurationRequest;
import dev.stevedore.policy.MalformedPolicyException;
import dev.stevedore.policy.PolicyDocument;
import dev.stevedore.policy.PolicyKind;
import dev.stevedore.store.StateStore;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The file system policy, the lifecycle configuration and the backup policy: each stored on the file
 * system's record and answered as stored. Stevedore has one storage class, so lifecycle transitions
 * are kept and reported but move no data, and backups are a setting no backup service reads.
 */
final class PolicyOperations {
    private static final String ENABLED = "ENABLED";
    private static final String DISABLED = "DISABLED";

    private final StateStore store;

    PolicyOperations(StateStore store) {
        this.store = store;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "PutFileSystemPolicy", Operations.typed(PutFileSystemPolicyRequest.class, this::putPolicy),
                "DescribeFileSystemPolicy", Operations.typed(DescribeFileSystemPolicyRequest.class, this::describePolicy),
                "DeleteFileSystemPolicy", Operations.typed(DeleteFileSystemPolicyRequest.class, this::deletePolicy),
                "PutLifecycleConfiguration", Operations.typed(PutLifecycleConfigurationRequest.class, this::putLifecycle),
                "DescribeLifecycleConfiguration",
                Operations.typed(DescribeLifecycleConfigurationRequest.class, this::describeLifecycle),
                "PutBackupPolicy", Operations.typed(PutBackupPolicyRequest.class, this::putBackup),
                "DescribeBackupPolicy", Operations.typed(DescribeBackupPolicyRequest.class, this::describeBackup));
    }

    FileSystemPolicyDescription putPolicy(CallContext ctx, PutFileSystemPolicyRequest r) {
        try {
            PolicyDocument.parse(r.policy(), PolicyKind.RESOURCE);
        } catch (MalformedPolicyException e) {
            throw EfsErrors.SPEC.error("InvalidPolicyException", e.getMessage());
        }
        StoredFileSystem fs = update(ctx, r.fileSystemId(), f -> f.withPolicy(r.policy()));
        return new FileSystemPolicyDescription(fs.fileSystemId(), fs.policy());
    }

    FileSystemPolicyDescription describePolicy(CallContext ctx, DescribeFileSystemPolicyRequest r) {
        StoredFileSystem fs = read(ctx, r.fileSystemId());
        if (fs.policy().isEmpty()) {
            throw EfsErrors.policyNotFound(fs.fileSystemId());
        }
        return new FileSystemPolicyDescription(fs.fileSystemId(), fs.policy());
    }

    Object deletePolicy(CallContext ctx, DeleteFileSystemPolicyRequest r) {
        update(ctx, r.fileSystemId(), f -> f.withPolicy(""));
        return null;
    }

    LifecycleConfigurationDescription putLifecycle(CallContext ctx, PutLifecycleConfigurationRequest r) {
        List<LifecyclePolicy> policies = r.lifecyclePolicies();
        // Each policy names one transition; EFS refuses two that name the same one.
        long transitionsToIa = policies.stream().filter(p -> p.transitionToIA() != null).count();
        long transitionsToArchive = policies.stream().filter(p -> p.transitionToArchive() != null).count();
        long transitionsBack = policies.stream().filter(p -> p.transitionToPrimaryStorageClass() != null).count();
        boolean oneEach = policies.stream().allMatch(p -> (p.transitionToIA() == null ? 0 : 1)
                + (p.transitionToArchive() == null ? 0 : 1) + (p.transitionToPrimaryStorageClass() == null ? 0 : 1) == 1);
        if (!oneEach || transitionsToIa > 1 || transitionsToArchive > 1 || transitionsBack > 1) {
            throw EfsErrors.badRequest("Each LifecyclePolicy must name exactly one transition, and each transition "
                    + "may be named once.");
        }
        StoredFileSystem fs = update(ctx, r.fileSystemId(), f -> f.withLifecyclePolicies(policies));
        return new LifecycleConfigurationDescription(fs.lifecyclePolicies());
    }

    LifecycleConfigurationDescription describeLifecycle(CallContext ctx, DescribeLifecycleConfigurationRequest r) {
        return new LifecycleConfigurationDescription(read(ctx, r.fileSystemId()).lifecyclePolicies());
    }

    BackupPolicyDescription putBackup(CallContext ctx, PutBackupPolicyRequest r) {
        String status = r.backupPolicy().status();
        if (!ENABLED.equals(status) && !DISABLED.equals(status)) {
            throw EfsErrors.badRequest("BackupPolicy Status must be ENABLED or DISABLED.");
        }
        StoredFileSystem fs = update(ctx, r.fileSystemId(), f -> f.withBackupStatus(status));
        return new BackupPolicyDescription(new BackupPolicy(fs.backupStatus()));
    }

    BackupPolicyDescription describeBackup(CallContext ctx, DescribeBackupPolicyRequest r) {
        return new BackupPolicyDescription(new BackupPolicy(read(ctx, r.fileSystemId()).backupStatus()));
    }

    private StoredFileSystem read(CallContext ctx, String fileSystemId) {
        String id = EfsIds.fileSystemId(fileSystemId);
        return new FileSystemStore(store, EfsScope.of(ctx)).find(id).orElseThrow(() -> EfsErrors.fileSystemNotFound(id));
    }

    private StoredFileSystem update(CallContext ctx, String fileSystemId, UnaryOperator<StoredFileSystem> change) {
        EfsScope scope = EfsScope.of(ctx);
        String id = EfsIds.fileSystemId(fileSystemId);
        return StoreTx.run(store, tx -> {
            StoredFileSystem updated = change.apply(FileSystemStore.existing(tx, scope, id));
            tx.put(scope.fileSystem(id), updated);
            return updated;
        });
    }
}
