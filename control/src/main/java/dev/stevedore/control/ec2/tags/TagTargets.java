package dev.stevedore.control.ec2.tags;

import dev.stevedore.control.ec2.Ec2Ids;

import java.util.Optional;

/** What kind of resource an id names, for callers outside the tag operations (access rules). */
public final class TagTargets {
    private TagTargets() {
    }

    /** The resource type of a taggable id ({@code vpc}, {@code subnet}, {@code security-group}…), as its ARN writes it. */
    public static Optional<String> resourceTypeOf(String resourceId) {
        Optional<String> idPrefix = Ec2Ids.prefixOf(resourceId);
        return Taggable.ALL.stream()
                .filter(t -> idPrefix.filter(t.idPrefix()::equals).isPresent())
                .map(Taggable::resourceType)
                .findFirst();
    }
}
