package dev.stevedore.control.ec2.query;

import dev.stevedore.control.ec2.Ec2Errors;
import dev.stevedore.model.ec2.Filter;
import dev.stevedore.model.ec2.Tag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The filters one Describe call accepts, by EC2 filter name, and the matching rules EC2 applies:
 * the values of one filter are alternatives, several filters must all match, and a value may use
 * the wildcards {@code *} and {@code ?}. {@code tag:<key>}, {@code tag-key} and {@code tag-value}
 * are understood for any record that has tags.
 *
 * @param <T> the record filtered
 */
public final class Filters<T> {
    private final Map<String, Function<T, Collection<String>>> byName;
    private final Optional<Function<T, List<Tag>>> tags;

    private Filters(Map<String, Function<T, Collection<String>>> byName, Optional<Function<T, List<Tag>>> tags) {
        this.byName = byName;
        this.tags = tags;
    }

    /** Filters over a record whose tags {@code tags} reads ({@code tag:<key>}, {@code tag-key}, {@code tag-value}). */
    public static <T> Builder<T> tagged(Function<T, List<Tag>> tags) {
        return new Builder<>(Optional.of(tags));
    }

    /** Filters over a record without tags. */
    public static <T> Builder<T> untagged() {
        return new Builder<>(Optional.empty());
    }

    /** The conjunction of {@code filters}; an unknown filter name is refused as EC2 refuses it. */
    public Predicate<T> compile(List<Filter> filters) {
        Predicate<T> all = t -> true;
        for (Filter filter : Optional.ofNullable(filters).orElse(List.of())) {
            all = all.and(one(filter));
        }
        return all;
    }

    private Predicate<T> one(Filter filter) {
        String name = Optional.ofNullable(filter.name()).orElseThrow(() -> Ec2Errors.missingParameter("Filter.Name"));
        List<Glob> values = Optional.ofNullable(filter.values()).orElse(List.of()).stream()
                .map(Glob::of)
                .toList();
        Function<T, Collection<String>> extract = byName.get(name);
        if (extract == null) {
            extract = tagExtractor(name).orElseThrow(() -> Ec2Errors.unknownFilter(name));
        }
        Function<T, Collection<String>> field = extract;
        return t -> field.apply(t).stream().anyMatch(v -> v != null && values.stream().anyMatch(g -> g.matches(v)));
    }

    private Optional<Function<T, Collection<String>>> tagExtractor(String name) {
        if (tags.isEmpty()) {
            return Optional.empty();
        }
        Function<T, List<Tag>> tagsOf = t -> Optional.ofNullable(tags.get().apply(t)).orElse(List.of());
        if (name.startsWith("tag:") && name.length() > 4) {
            String key = name.substring(4);
            return Optional.of(t -> tagsOf.apply(t).stream().filter(tag -> key.equals(tag.key())).map(Tag::value).toList());
        }
        return switch (name) {
            case "tag-key" -> Optional.of(t -> tagsOf.apply(t).stream().map(Tag::key).toList());
            case "tag-value" -> Optional.of(t -> tagsOf.apply(t).stream().map(Tag::value).toList());
            default -> Optional.empty();
        };
    }

    /**
     * EC2's wildcards: {@code *} any run of characters, {@code ?} one; a backslash escapes either. Matched
     * by hand rather than through a regular expression: compiling one from a 300,000-character value
     * took a minute of CPU, and stars in a regex can backtrack exponentially; this takes at most
     * (value length × pattern length) steps.
     */
    record Glob(int[] tokens) {
        private static final int STAR = -1;
        private static final int ONE = -2;

        static Glob of(String value) {
            int[] tokens = new int[value.length()];
            int n = 0;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\\' && i + 1 < value.length() && (value.charAt(i + 1) == '*' || value.charAt(i + 1) == '?')) {
                    tokens[n++] = value.charAt(++i);
                } else {
                    tokens[n++] = c == '*' ? STAR : c == '?' ? ONE : c;
                }
            }
            return new Glob(java.util.Arrays.copyOf(tokens, n));
        }

        boolean matches(String text) {
            int p = 0;
            int i = 0;
            int star = -1;
            int resumeAt = 0;
            while (i < text.length()) {
                if (p < tokens.length && (tokens[p] == ONE || tokens[p] == text.charAt(i))) {
                    p++;
                    i++;
                } else if (p < tokens.length && tokens[p] == STAR) {
                    star = p++;
                    resumeAt = i;
                } else if (star >= 0) {
                    // Let the last star take one more character and try the rest again.
                    p = star + 1;
                    i = ++resumeAt;
                } else {
                    return false;
                }
            }
            while (p < tokens.length && tokens[p] == STAR) {
                p++;
            }
            return p == tokens.length;
        }
    }

    /** Collects the filter names of one call. */
    public static final class Builder<T> {
        private final Map<String, Function<T, Collection<String>>> byName = new LinkedHashMap<>();
        private final Optional<Function<T, List<Tag>>> tags;

        private Builder(Optional<Function<T, List<Tag>>> tags) {
            this.tags = tags;
        }

        /** A filter on one value of the record (absent when {@code null}). */
        public Builder<T> on(String name, Function<T, ?> value) {
            byName.put(name, t -> {
                Object v = value.apply(t);
                return v == null ? List.of() : List.of(String.valueOf(v));
            });
            return this;
        }

        /** A filter on a value the record has several of; matching any of them matches. */
        public Builder<T> onEach(String name, Function<T, ? extends Collection<?>> values) {
            byName.put(name, t -> {
                List<String> out = new ArrayList<>();
                Collection<?> vs = values.apply(t);
                if (vs != null) {
                    vs.forEach(v -> out.add(String.valueOf(v)));
                }
                return out;
            });
            return this;
        }

        public Filters<T> build() {
            return new Filters<>(Map.copyOf(byName), tags);
        }
    }
}
