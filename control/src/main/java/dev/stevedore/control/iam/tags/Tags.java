package dev.stevedore.control.iam.tags;

import dev.stevedore.control.iam.EntityKind;
import dev.stevedore.control.iam.IamErrors;
import dev.stevedore.model.iam.Tag;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** IAM's rules for tags: keys are unique regardless of case, at most 50 on one user, role or policy. */
public final class Tags {
    private Tags() {
    }

    /** Refuses a request's tags that repeat a key. */
    public static void check(List<Tag> tags, String quota) {
        if (tags == null) {
            return;
        }
        Set<String> keys = new HashSet<>();
        for (Tag t : tags) {
            if (!keys.add(t.key().toLowerCase(Locale.ROOT))) {
                throw IamErrors.invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
            }
        }
        if (tags.size() > EntityKind.TAG_LIMIT) {
            throw IamErrors.quota(quota, EntityKind.TAG_LIMIT);
        }
    }

    /** {@code existing} with {@code added} put in: a key already there (in any case) takes the new value. */
    public static List<Tag> merged(List<Tag> existing, List<Tag> added, EntityKind kind) {
        check(added, kind.tagQuota);
        List<Tag> out = new ArrayList<>(existing);
        for (Tag t : added) {
            int at = indexOf(out, t.key());
            if (at >= 0) {
                out.set(at, t);
            } else {
                out.add(t);
            }
        }
        if (out.size() > EntityKind.TAG_LIMIT) {
            throw IamErrors.quota(kind.tagQuota, EntityKind.TAG_LIMIT);
        }
        return out;
    }

    /** {@code existing} without the keys named (in any case); keys it does not have are ignored, as IAM does. */
    public static List<Tag> without(List<Tag> existing, List<String> keys) {
        Set<String> drop = new HashSet<>();
        keys.forEach(k -> drop.add(k.toLowerCase(Locale.ROOT)));
        return existing.stream().filter(t -> !drop.contains(t.key().toLowerCase(Locale.ROOT))).toList();
    }

    /** Where a tag comes in a listing: its key, without regard to case. */
    public static String sortKey(Tag tag) {
        return tag.key().toLowerCase(Locale.ROOT);
    }

    private static int indexOf(List<Tag> tags, String key) {
        for (int i = 0; i < tags.size(); i++) {
            if (tags.get(i).key().equalsIgnoreCase(key)) {
                return i;
            }
        }
        return -1;
    }
}
