package dev.stevedore.control.secretsmanager;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.stevedore.model.secretsmanager.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A secret as stored at {@code /secretsmanager/{account}/{region}/secrets/{name}}: everything but its
 * values in clear, its versions (values sealed) in the order they were made.
 *
 * @param description       absent (null) when never given, as DescribeSecret then omits it
 * @param scheduledDeletion absent (null) unless DeleteSecret scheduled the secret's deletion
 */
record SecretRecord(String arn, String name, String description, Instant createdDate, Instant lastChangedDate,
                    List<Tag> tags, List<SecretVersion> versions, ScheduledDeletion scheduledDeletion) {

    /** When DeleteSecret was called and when the secret goes for good. */
    record ScheduledDeletion(Instant deletedDate, Instant deletionDate) {
    }

    SecretRecord {
        tags = List.copyOf(tags);
        versions = List.copyOf(versions);
    }

    @JsonIgnore
    Optional<String> descriptionIfAny() {
        return Optional.ofNullable(description);
    }

    @JsonIgnore
    Optional<ScheduledDeletion> deletion() {
        return Optional.ofNullable(scheduledDeletion);
    }

    /** Whether the scheduled deletion is due: the secret is then gone, whatever the store still holds. */
    boolean goneAt(Instant now) {
        return deletion().map(d -> !d.deletionDate().isAfter(now)).orElse(false);
    }

    Optional<SecretVersion> version(String versionId) {
        return versions.stream().filter(v -> v.versionId().equals(versionId)).findFirst();
    }

    Optional<SecretVersion> staged(String stage) {
        return versions.stream().filter(v -> v.stages().contains(stage)).findFirst();
    }

    SecretRecord withDescription(String newDescription, Instant changed) {
        return new SecretRecord(arn, name, newDescription, createdDate, changed, tags, versions, scheduledDeletion);
    }

    SecretRecord withTags(List<Tag> newTags, Instant changed) {
        return new SecretRecord(arn, name, description, createdDate, changed, newTags, versions, scheduledDeletion);
    }

    SecretRecord withDeletion(ScheduledDeletion deletion, Instant changed) {
        return new SecretRecord(arn, name, description, createdDate, changed, tags, versions, deletion);
    }

    /**
     * The secret with {@code added} as a new version carrying {@code stages}: each label moves off the
     * version that had it; when AWSCURRENT moves, the version that had it becomes AWSPREVIOUS. A
     * version left without labels is dropped (AWS deprecates it; Stevedore keeps no deprecated ones).
     */
    SecretRecord withVersion(SecretVersion added, Instant changed) {
        Optional<String> oldCurrent = added.stages().contains(SecretStages.CURRENT)
                ? staged(SecretStages.CURRENT).map(SecretVersion::versionId)
                : Optional.empty();
        List<SecretVersion> kept = new ArrayList<>();
        for (SecretVersion v : versions) {
            List<String> stages = new ArrayList<>(v.stages());
            stages.removeAll(added.stages());
            if (oldCurrent.isPresent()) {
                stages.remove(SecretStages.PREVIOUS);
                if (v.versionId().equals(oldCurrent.get())) {
                    stages.add(SecretStages.PREVIOUS);
                }
            }
            if (!stages.isEmpty()) {
                kept.add(v.withStages(stages));
            }
        }
        kept.add(added);
        return new SecretRecord(arn, name, description, createdDate, changed, tags, kept, scheduledDeletion);
    }
}
