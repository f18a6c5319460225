package dev.stevedore.control.efs;

import dev.stevedore.model.efs.AccessPointDescription;
import dev.stevedore.model.efs.PosixUser;
import dev.stevedore.model.efs.RootDirectory;
import dev.stevedore.model.efs.Tag;

import java.util.List;
import java.util.Optional;

/**
 * An access point as the store keeps it.
 *
 * @param rootDirectory its root, {@code /} when the caller named none
 */
record StoredAccessPoint(String accessPointId, String fileSystemId, String clientToken, Optional<PosixUser> posixUser,
                         RootDirectory rootDirectory, List<Tag> tags) {

    StoredAccessPoint {
        tags = List.copyOf(tags);
    }

    StoredAccessPoint withTags(List<Tag> newTags) {
        return new StoredAccessPoint(accessPointId, fileSystemId, clientToken, posixUser, rootDirectory, newTags);
    }

    AccessPointDescription describe(EfsScope scope) {
        return AccessPointDescription.builder().clientToken(clientToken)
                .name(tags.stream().filter(t -> FileSystemViews.NAME_TAG.equals(t.key())).map(Tag::value)
                        .findFirst().orElse(null))
                .tags(tags).accessPointId(accessPointId).accessPointArn(scope.accessPointArn(accessPointId))
                .fileSystemId(fileSystemId).posixUser(posixUser.orElse(null)).rootDirectory(rootDirectory)
                .ownerId(scope.accountId()).lifeCycleState("available").build();
    }
}
