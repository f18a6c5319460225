package dev.stevedore.control.ecs.tags;

import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Tag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tags of any ECS resource, kept in one record per resource ARN so every resource type is
 * tagged the same way.
 */
public final class Tags {
    /** ECS's limit of tags per resource. */
    public static final int MAX_PER_RESOURCE = 50;

    private Tags() {
    }

    /** The stored form: the resource's tags in the order they were first set. */
    public record TagSet(List<Tag> tags) {
        public TagSet {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    public static List<Tag> read(StoreTx tx, EcsScope scope, String arn) {
        return tx.read(EcsKeys.tags(scope, arn), TagSet.class).map(TagSet::tags).orElse(List.of());
    }

    /** Validates tags given on a create call and returns them de-duplicated (last value wins). */
    public static List<Tag> checkNew(List<Tag> tags) {
        return merge(List.of(), tags == null ? List.of() : tags);
    }

    /** Adds or overwrites {@code added} on the resource, enforcing ECS's limits. */
    public static List<Tag> add(StoreTx tx, EcsScope scope, String arn, Collection<Tag> added) {
        List<Tag> merged = merge(read(tx, scope, arn), added);
        write(tx, scope, arn, merged);
        return merged;
    }

    public static void remove(StoreTx tx, EcsScope scope, String arn, Collection<String> keys) {
        List<Tag> kept = new ArrayList<>();
        for (Tag t : read(tx, scope, arn)) {
            if (!keys.contains(t.key())) {
                kept.add(t);
            }
        }
        write(tx, scope, arn, kept);
    }

    public static void write(StoreTx tx, EcsScope scope, String arn, List<Tag> tags) {
        if (tags.isEmpty()) {
            tx.delete(EcsKeys.tags(scope, arn));
        } else {
            tx.put(EcsKeys.tags(scope, arn), new TagSet(tags));
        }
    }

    private static List<Tag> merge(Collection<Tag> existing, Collection<Tag> added) {
        Map<String, Tag> byKey = new LinkedHashMap<>();
        for (Tag t : existing) {
            byKey.put(t.key(), t);
        }
        for (Tag t : added) {
            String key = Optional.ofNullable(t.key()).orElse("");
            if (key.isEmpty()) {
                throw EcsErrors.invalidParameter("Tag keys must not be empty.");
            }
            if (key.regionMatches(true, 0, "aws:", 0, 4)) {
                throw EcsErrors.invalidParameter(
                        "Tag keys that start with 'aws:' are reserved for AWS use and cannot be created or changed.");
            }
            byKey.put(key, new Tag(key, Optional.ofNullable(t.value()).orElse("")));
        }
        if (byKey.size() > MAX_PER_RESOURCE) {
            throw EcsErrors.invalidParameter(
                    "A resource can have at most " + MAX_PER_RESOURCE + " tags; this request would give it " + byKey.size() + ".");
        }
        return List.copyOf(byKey.values());
    }
}
