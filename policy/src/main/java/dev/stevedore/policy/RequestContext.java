package dev.stevedore.policy;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The condition keys of one request and their values ({@code aws:SourceIp → [10.0.0.7]},
 * {@code aws:TagKeys → [a, b]}). Key names are case-insensitive, as in IAM; values keep their case.
 * A key with an empty list is present with no values (an empty set), which is not the same as absent.
 */
public final class RequestContext {
    private static final RequestContext EMPTY = new RequestContext(Map.of());

    private final Map<String, List<String>> values;

    private RequestContext(Map<String, List<String>> values) {
        this.values = values;
    }

    public static RequestContext empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The key's values, or empty when the request does not have the key. */
    public Optional<List<String>> values(String key) {
        return Optional.ofNullable(values.get(normalize(key)));
    }

    /** The values of a lower-cased key; an absent key reads as the empty set (conditions treat the two alike). */
    List<String> valuesOrEmpty(String normalizedKey) {
        return values.getOrDefault(normalizedKey, List.of());
    }

    /** The key's one value (for policy variables); empty when absent or multi-valued. */
    Optional<String> single(String key) {
        List<String> list = values.get(normalize(key));
        return list != null && list.size() == 1 ? Optional.of(list.getFirst()) : Optional.empty();
    }

    static String normalize(String key) {
        return key.toLowerCase(Locale.ROOT);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(values);
        return b;
    }

    @Override
    public String toString() {
        return values.toString();
    }

    public static final class Builder {
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        private Builder() {}

        public Builder put(String key, String value) {
            values.put(normalize(key), List.of(value));
            return this;
        }

        public Builder put(String key, boolean value) {
            return put(key, Boolean.toString(value));
        }

        public Builder put(String key, long value) {
            return put(key, Long.toString(value));
        }

        /** A multi-valued key (possibly the empty set). */
        public Builder putAll(String key, Collection<String> list) {
            values.put(normalize(key), List.copyOf(list));
            return this;
        }

        public RequestContext build() {
            return new RequestContext(Map.copyOf(values));
        }
    }
}
