package dev.stevedore.control.efs;

import dev.stevedore.model.efs.FileSystemDescription;
import dev.stevedore.model.efs.FileSystemProtectionDescription;
import dev.stevedore.model.efs.FileSystemSize;
import dev.stevedore.model.efs.Tag;

/** How a stored file system is answered. */
final class FileSystemViews {
    static final String NAME_TAG = "Name";

    private FileSystemViews() {
    }

    static FileSystemDescription describe(EfsScope scope, StoredFileSystem fs, int mountTargets) {
        return FileSystemDescription.builder()
                .ownerId(scope.accountId())
                .creationToken(fs.creationToken())
                .fileSystemId(fs.fileSystemId())
                .fileSystemArn(scope.fileSystemArn(fs.fileSystemId()))
                .creationTime(fs.creationTime())
                .lifeCycleState(fs.lifeCycleState())
                .name(fs.tags().stream().filter(t -> NAME_TAG.equals(t.key())).map(Tag::value).findFirst().orElse(null))
                .numberOfMountTargets(mountTargets)
                .sizeInBytes(FileSystemSize.builder().value(fs.sizeInBytes()).timestamp(fs.sizeMeteredAt())
                        .valueInStandard(fs.sizeInBytes()).valueInIA(0L).valueInArchive(0L).build())
                .performanceMode(fs.performanceMode())
                .encrypted(fs.encrypted())
                .kmsKeyId(fs.encrypted() ? fs.kmsKeyId() : null)
                .throughputMode(fs.throughputMode())
                .provisionedThroughputInMibps(fs.provisionedThroughputInMibps() > 0
                        ? fs.provisionedThroughputInMibps() : null)
                .availabilityZoneName(fs.availabilityZoneName().isEmpty() ? null : fs.availabilityZoneName())
                .availabilityZoneId(fs.availabilityZoneId().isEmpty() ? null : fs.availabilityZoneId())
                .tags(fs.tags())
                .fileSystemProtection(FileSystemProtectionDescription.builder()
                        .replicationOverwriteProtection("ENABLED").build())
                .build();
    }
}
