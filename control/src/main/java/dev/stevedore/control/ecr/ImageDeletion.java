package dev.stevedore.control.ecr;

import dev.stevedore.control.state.StoreTx;
import dev.stevedore.store.StateStore;

import java.util.List;
import java.util.Optional;

/**
 * Takes images or tags out of a repository: from the registry first, then from the store, so that an
 * image the store still lists is never one the registry lost without anyone being told (a failure
 * between the two leaves a record whose next deletion finds the registry's part already gone).
 */
final class ImageDeletion {
    private final StateStore store;
    private final ImageRegistry registry;

    ImageDeletion(StateStore store, ImageRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** Deletes the image and all its tags. */
    void deleteImage(EcrScope scope, String repository, String digest) {
        registry.deleteManifest(repository, digest);
        StoreTx.run(store, tx -> {
            RepositoryRecord record = ImageLedger.repository(tx, scope, repository);
            tx.delete(scope.imageKey(repository, digest));
            tx.put(scope.repositoryKey(repository), record.withImagesChanged());
            return null;
        });
    }

    /**
     * Removes one tag from the image that has it; an image left without tags is deleted, as ECR does
     * when a BatchDeleteImage names its last tag. Answers the image's digest, empty when no image has the tag.
     */
    Optional<String> deleteTag(EcrScope scope, String repository, String tag) {
        Optional<ImageRecord> holder = StoreTx.run(store, tx -> ImageLedger.holderOf(tx, scope, repository, tag));
        if (holder.isEmpty()) {
            return Optional.empty();
        }
        ImageRecord image = holder.get();
        if (image.tags().equals(List.of(tag))) {
            deleteImage(scope, repository, image.digest());
            return Optional.of(image.digest());
        }
        registry.deleteTag(repository, tag);
        StoreTx.run(store, tx -> {
            RepositoryRecord record = ImageLedger.repository(tx, scope, repository);
            tx.read(scope.imageKey(repository, image.digest()), ImageRecord.class)
                    .ifPresent(current -> tx.put(scope.imageKey(repository, image.digest()), current.withoutTag(tag)));
            tx.put(scope.repositoryKey(repository), record.withImagesChanged());
            return null;
        });
        return Optional.of(image.digest());
    }
}
