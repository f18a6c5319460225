package dev.stevedore.control.ssm;

import dev.stevedore.model.ssm.Tag;

import java.time.Instant;
import java.util.List;

/**
 * A parameter as the store keeps it: one record holding every kept version (oldest first), so a write
 * is one compare-and-set on one key. A SecureString's values are sealed; see {@link SecureValues}.
 *
 * @param tags the parameter's tags, in the order they were first added
 */
record StoredParameter(String name, String dataType, String tier, List<Tag> tags, List<Version> versions) {
    static final int MAX_VERSIONS = 100;

    StoredParameter {
        tags = List.copyOf(tags);
        versions = List.copyOf(versions);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("a parameter has at least one version");
        }
    }

    /**
     * One version.
     *
     * @param value          the value, sealed when {@code type} is SecureString
     * @param description    "" when the version has none
     * @param allowedPattern "" when the version has none
     */
    record Version(long version, String type, String value, String description, String allowedPattern,
                   Instant lastModified, String lastModifiedUser) {
    }

    Version latest() {
        return versions.getLast();
    }

    java.util.Optional<Version> version(long number) {
        return versions.stream().filter(v -> v.version() == number).findFirst();
    }

    /** This parameter with {@code next} as its newest version, the oldest dropped past SSM's limit of 100. */
    StoredParameter withVersion(Version next) {
        List<Version> kept = new java.util.ArrayList<>(versions);
        kept.add(next);
        while (kept.size() > MAX_VERSIONS) {
            kept.removeFirst();
        }
        return new StoredParameter(name, dataType, tier, tags, kept);
    }

    StoredParameter withTags(List<Tag> newTags) {
        return new StoredParameter(name, dataType, tier, newTags, versions);
    }
}
