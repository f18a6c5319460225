package dev.stevedore.control.ec2.tags;

import dev.stevedore.control.ec2.Ec2Errors;
import dev.stevedore.model.ec2.Tag;
import dev.stevedore.model.ec2.TagSpecification;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * EC2's rules for the tags of a resource: at most 50, keys of 1–128 characters that do not start
 * with {@code aws:}, values of at most 256; a key appears once, a new value replaces the old.
 * Records keep their tags in their own {@code Tags} (a network interface in {@code TagSet}), absent
 * when there are none, as EC2 leaves the member out.
 */
public final class TagRules {
    public static final int MAX_TAGS = 50;
    private static final int MAX_KEY = 128;
    private static final int MAX_VALUE = 256;

    private TagRules() {
    }

    /**
     * The tags a Create call's TagSpecifications give the resource it creates; a specification for
     * another resource type is refused.
     */
    public static List<Tag> fromSpecifications(List<TagSpecification> specifications, String resourceType) {
        List<Tag> tags = new ArrayList<>();
        boolean seen = false;
        for (TagSpecification spec : Optional.ofNullable(specifications).orElse(List.of())) {
            if (spec.resourceType() == null) {
                throw Ec2Errors.missingParameter("TagSpecification.ResourceType");
            }
            if (!resourceType.equals(spec.resourceType())) {
                throw Ec2Errors.invalidParameterValue(
                        "'" + spec.resourceType() + "' is not a valid taggable resource type for this operation.");
            }
            if (seen) {
                throw Ec2Errors.invalidParameterValue(
                        "The same resource type may not be specified more than once in tag specifications");
            }
            seen = true;
            if (spec.tags() == null || spec.tags().isEmpty()) {
                throw Ec2Errors.invalidParameterValue("Tag specification must have at least one tag");
            }
            tags.addAll(spec.tags());
        }
        return merge(List.of(), tags);
    }

    /** {@code existing} with {@code added} set (a missing value is the empty string, as EC2 stores it). */
    public static List<Tag> merge(List<Tag> existing, List<Tag> added) {
        Map<String, String> byKey = asMap(existing);
        for (Tag tag : added) {
            check(tag);
            byKey.put(tag.key(), Optional.ofNullable(tag.value()).orElse(""));
        }
        if (byKey.size() > MAX_TAGS) {
            throw Ec2Errors.of("TagLimitExceeded", "The maximum number of Tags for a resource has been reached.");
        }
        return asList(byKey);
    }

    /**
     * {@code existing} without the tags DeleteTags names: a tag given with a value goes only if its
     * value is that value; without a value it goes whatever its value; no tags at all removes every
     * tag that does not start with {@code aws:}.
     */
    public static List<Tag> remove(List<Tag> existing, List<Tag> removed) {
        Map<String, String> byKey = asMap(existing);
        if (removed == null || removed.isEmpty()) {
            byKey.keySet().removeIf(key -> !key.startsWith("aws:"));
            return asList(byKey);
        }
        for (Tag tag : removed) {
            if (tag.key() == null) {
                throw Ec2Errors.missingParameter("Tag.Key");
            }
            if (tag.key().startsWith("aws:")) {
                throw reservedPrefix();
            }
            if (tag.value() == null || tag.value().equals(byKey.get(tag.key()))) {
                byKey.remove(tag.key());
            }
        }
        return asList(byKey);
    }

    /** The tags as a record stores them: {@code null} when there are none. */
    public static List<Tag> orAbsent(List<Tag> tags) {
        return tags == null || tags.isEmpty() ? null : List.copyOf(tags);
    }

    private static void check(Tag tag) {
        if (tag.key() == null || tag.key().isEmpty()) {
            throw Ec2Errors.invalidParameterValue("Tag key cannot be empty");
        }
        if (tag.key().length() > MAX_KEY) {
            throw Ec2Errors.invalidParameterValue("Tag key exceeds the maximum length of " + MAX_KEY + " characters");
        }
        if (tag.value() != null && tag.value().length() > MAX_VALUE) {
            throw Ec2Errors.invalidParameterValue("Tag value exceeds the maximum length of " + MAX_VALUE + " characters");
        }
        if (tag.key().toLowerCase(java.util.Locale.ROOT).startsWith("aws:")) {
            throw reservedPrefix();
        }
    }

    private static dev.stevedore.awsproto.AwsException reservedPrefix() {
        return Ec2Errors.invalidParameterValue("Tag keys starting with 'aws:' are reserved for internal use");
    }

    private static Map<String, String> asMap(List<Tag> tags) {
        Map<String, String> byKey = new LinkedHashMap<>();
        Optional.ofNullable(tags).orElse(List.of()).forEach(t -> byKey.put(t.key(), t.value()));
        return byKey;
    }

    private static List<Tag> asList(Map<String, String> byKey) {
        return byKey.entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList();
    }
}
