package dev.stevedore.control.efs;

import dev.stevedore.model.efs.LifecyclePolicy;
import dev.stevedore.model.efs.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A file system as the store keeps it. The API writes everything but the metering and the
 * {@code available} state: CreateFileSystem makes it {@code creating}, DeleteFileSystem {@code deleting};
 * the storage controller ({@link dev.stevedore.control.efs.storage.FileSystemVolumes}) makes it
 * {@code available} once its volume runs, records the size it reads, and removes the record once a
 * deleted file system's volume is gone.
 *
 * @param provisionedThroughputInMibps 0 unless the throughput mode is {@code provisioned}
 * @param kmsKeyId                     "" unless encrypted
 * @param availabilityZoneName         "" for a Regional file system
 * @param policy                       the file system policy, "" when it has none
 * @param backupStatus                 {@code ENABLED} or {@code DISABLED}
 * @param sizeInBytes                  the metered size of its data
 * @param sizeMeteredAt                when it was metered; the creation time until then
 */
record StoredFileSystem(String fileSystemId, String creationToken, Instant creationTime, String performanceMode,
                        String throughputMode, double provisionedThroughputInMibps, boolean encrypted, String kmsKeyId,
                        String availabilityZoneName, String availabilityZoneId, List<Tag> tags, String lifeCycleState,
                        String policy, List<LifecyclePolicy> lifecyclePolicies, String backupStatus, long sizeInBytes,
                        Instant sizeMeteredAt) {
    static final String CREATING = "creating";
    static final String AVAILABLE = "available";
    static final String DELETING = "deleting";
    /** What EFS reports for a file system that holds nothing yet (its metadata). */
    static final long EMPTY_SIZE = 6144;

    StoredFileSystem {
        Objects.requireNonNull(fileSystemId, "fileSystemId");
        tags = List.copyOf(tags);
        lifecyclePolicies = List.copyOf(lifecyclePolicies);
    }

    StoredFileSystem withState(String state) {
        return new StoredFileSystem(fileSystemId, creationToken, creationTime, performanceMode, throughputMode,
                provisionedThroughputInMibps, encrypted, kmsKeyId, availabilityZoneName, availabilityZoneId, tags, state,
                policy, lifecyclePolicies, backupStatus, sizeInBytes, sizeMeteredAt);
    }

    StoredFileSystem withTags(List<Tag> newTags) {
        return new StoredFileSystem(fileSystemId, creationToken, creationTime, performanceMode, throughputMode,
                provisionedThroughputInMibps, encrypted, kmsKeyId, availabilityZoneName, availabilityZoneId, newTags,
                lifeCycleState, policy, lifecyclePolicies, backupStatus, sizeInBytes, sizeMeteredAt);
    }

    StoredFileSystem withPolicy(String newPolicy) {
        return new StoredFileSystem(fileSystemId, creationToken, creationTime, performanceMode, throughputMode,
                provisionedThroughputInMibps, encrypted, kmsKeyId, availabilityZoneName, availabilityZoneId, tags,
                lifeCycleState, newPolicy, lifecyclePolicies, backupStatus, sizeInBytes, sizeMeteredAt);
    }

    StoredFileSystem withLifecyclePolicies(List<LifecyclePolicy> policies) {
        return new StoredFileSystem(fileSystemId, creationToken, creationTime, performanceMode, throughputMode,
                provisionedThroughputInMibps, encrypted, kmsKeyId, availabilityZoneName, availabilityZoneId, tags,
                lifeCycleState, policy, policies, backupStatus, sizeInBytes, sizeMeteredAt);
    }

    StoredFileSystem withBackupStatus(String status) {
        return new StoredFileSystem(fileSystemId, creationToken, creationTime, performanceMode, throughputMode,
                provisionedThroughputInMibps, encrypted, kmsKeyId, availabilityZoneName, availabilityZoneId, tags,
                lifeCycleState, policy, lifecyclePolicies, status, sizeInBytes, sizeMeteredAt);
    }

    StoredFileSystem withSize(long bytes, Instant at) {
        return new StoredFileSystem(fileSystemId, creationToken, creationTime, performanceMode, throughputMode,
                provisionedThroughputInMibps, encrypted, kmsKeyId, availabilityZoneName, availabilityZoneId, tags,
                lifeCycleState, policy, lifecyclePolicies, backupStatus, bytes, at);
    }
}
