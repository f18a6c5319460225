package dev.stevedore.awsproto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The immutable header fields of an HTTP request: a multimap whose names compare case-insensitively,
 * as HTTP requires. Values keep their order of arrival; names keep the spelling they were first seen
 * with.
 */
public final class Headers {

    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "x-amz-security-token", "cookie");
    private static final Headers EMPTY = new Headers(new TreeMap<>(String.CASE_INSENSITIVE_ORDER));

    private final TreeMap<String, List<String>> values;

    private Headers(TreeMap<String, List<String>> values) {
        this.values = values;
    }

    /** Headers from a map of name to values; names differing only in case are merged. */
    public static Headers of(Map<String, List<String>> headers) {
        Objects.requireNonNull(headers, "headers");
        Builder builder = builder();
        headers.forEach((name, list) -> list.forEach(value -> builder.add(name, value)));
        return builder.build();
    }

    /** Headers from alternating name/value strings, e.g. {@code of("Host", "localhost")}. */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("expected name/value pairs");
        }
        Builder builder = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build();
    }

    public static Headers empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The first value of a header, if present. */
    public Optional<String> first(String name) {
        List<String> list = values.get(name);
        return list == null ? Optional.empty() : Optional.of(list.get(0));
    }

    /** Every value of a header in arrival order; empty when absent. */
    public List<String> all(String name) {
        List<String> list = values.get(name);
        return list == null ? List.of() : list;
    }

    public boolean contains(String name) {
        return values.containsKey(name);
    }

    /** The header names, each in the spelling it was first seen with, sorted case-insensitively. */
    public Set<String> names() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(values.keySet()));
    }

    /** A copy with one more value for a header. */
    public Headers with(String name, String value) {
        return toBuilder().add(name, value).build();
    }

    /** A copy in which a header has exactly the given value. */
    public Headers withOnly(String name, String value) {
        return toBuilder().remove(name).add(name, value).build();
    }

    /** A copy without a header. */
    public Headers without(String name) {
        return toBuilder().remove(name).build();
    }

    public Builder toBuilder() {
        Builder builder = builder();
        values.forEach((name, list) -> list.forEach(value -> builder.add(name, value)));
        return builder;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Headers other)) {
            return false;
        }
        return lowerCased().equals(other.lowerCased());
    }

    @Override
    public int hashCode() {
        return lowerCased().hashCode();
    }

    private Map<String, List<String>> lowerCased() {
        Map<String, List<String>> map = new TreeMap<>();
        values.forEach((name, list) -> map.put(name.toLowerCase(Locale.ROOT), list));
        return map;
    }

    // Credentials travel in headers; a logged request must not carry them.
    @Override
    public String toString() {
        Map<String, Object> shown = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        values.forEach((name, list) -> shown.put(name, SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? "***" : list));
        return shown.toString();
    }

    /** Collects header values; not thread-safe. */
    public static final class Builder {
        private final TreeMap<String, List<String>> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        private Builder() {
        }

        public Builder add(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        public Builder remove(String name) {
            values.remove(name);
            return this;
        }

        public Headers build() {
            TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            values.forEach((name, list) -> copy.put(name, List.copyOf(list)));
            return new Headers(copy);
        }
    }
}
