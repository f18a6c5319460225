package dev.stevedore.scheduler;

import java.util.Objects;
import java.util.Optional;

/**
 * An attribute a task definition requires of its instance (an entry of {@code requiresAttributes}):
 * the instance must carry {@code name} and, when {@code value} is present, with exactly that value.
 */
public record RequiredAttribute(String name, Optional<String> value) {

    public RequiredAttribute {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isBlank()) {
            throw new IllegalArgumentException("attribute name must not be blank");
        }
    }

    /** An attribute that must be present, with any value or none. */
    public static RequiredAttribute named(String name) {
        return new RequiredAttribute(name, Optional.empty());
    }

    /** An attribute that must be present with exactly {@code value}. */
    public static RequiredAttribute of(String name, String value) {
        return new RequiredAttribute(name, Optional.of(value));
    }

    @Override
    public String toString() {
        return value.map(v -> name + "=" + v).orElse(name);
    }
}
