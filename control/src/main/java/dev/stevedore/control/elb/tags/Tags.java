package dev.stevedore.control.elb.tags;

import dev.stevedore.control.elb.ElbErrors;
import dev.stevedore.model.elbv2.Tag;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** ELB's tag rules: at most 50 per resource, keys unique in a request, {@code aws:} keys reserved. */
public final class Tags {
    public static final int PER_RESOURCE = 50;

    private Tags() {
    }

    /** The tags a request gives (none when absent), checked. */
    public static List<Tag> given(List<Tag> tags) {
        List<Tag> given = tags == null ? List.of() : tags;
        Set<String> keys = new HashSet<>();
        for (Tag tag : given) {
            if (!keys.add(tag.key())) {
                throw ElbErrors.of("DuplicateTagKeys", "Tag key '" + tag.key() + "' is duplicated");
            }
            if (tag.key().startsWith("aws:")) {
                throw ElbErrors.validation("Tag keys starting with 'aws:' are reserved for internal use");
            }
        }
        if (given.size() > PER_RESOURCE) {
            throw tooMany();
        }
        return given.stream().map(t -> new Tag(t.key(), t.value() == null ? "" : t.value())).toList();
    }

    /** The resource's tags with {@code added} put in (a key already there takes the new value). */
    public static List<Tag> merged(List<Tag> current, List<Tag> added) {
        Map<String, String> byKey = new LinkedHashMap<>();
        current.forEach(t -> byKey.put(t.key(), t.value()));
        added.forEach(t -> byKey.put(t.key(), t.value()));
        if (byKey.size() > PER_RESOURCE) {
            throw tooMany();
        }
        List<Tag> out = new ArrayList<>();
        byKey.forEach((k, v) -> out.add(new Tag(k, v)));
        return out;
    }

    public static List<Tag> without(List<Tag> current, List<String> keys) {
        return current.stream().filter(t -> !keys.contains(t.key())).toList();
    }

    private static RuntimeException tooMany() {
        return ElbErrors.of("TooManyTags", "The quota for the number of tags that can be assigned to a load balancing "
                + "resource has been reached");
    }
}
