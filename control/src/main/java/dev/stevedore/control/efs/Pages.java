package dev.stevedore.control.efs;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * EFS's paging (Marker/MaxItems, NextToken/MaxResults): a page starts at the item the marker names
 * and the next marker names the item after it. A marker that names no item is refused, as EFS
 * refuses one it did not hand out.
 */
final class Pages {
    private Pages() {
    }

    record Page<T>(List<T> items, Optional<String> next) {
        String nextOrNull() {
            return next.orElse(null);
        }
    }

    static <T> Page<T> page(List<T> all, Function<T, String> id, String marker, Integer max, int defaultMax) {
        int limit = max == null ? defaultMax : max;
        int start = 0;
        if (marker != null) {
            start = -1;
            for (int i = 0; i < all.size() && start < 0; i++) {
                if (id.apply(all.get(i)).equals(marker)) {
                    start = i;
                }
            }
            if (start < 0) {
                throw EfsErrors.badRequest("The marker '" + marker + "' is not valid.");
            }
        }
        int end = Math.min(all.size(), start + limit);
        return new Page<>(all.subList(start, end),
                end < all.size() ? Optional.of(id.apply(all.get(end))) : Optional.empty());
    }
}
