package dev.stevedore.control.iam.query;

import dev.stevedore.control.iam.IamErrors;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * IAM's Marker/MaxItems over a listing in key order: at most MaxItems (default 100) per page,
 * {@code IsTruncated} always answered, the Marker only when there is more. The marker names the last
 * key answered, so pages neither skip nor repeat while entities come and go between calls.
 */
public final class Listing {
    public static final int DEFAULT_MAX_ITEMS = 100;
    private static final String VERSION = "iam1:";

    private Listing() {
    }

    public record Page<T>(List<T> items, boolean isTruncated, Optional<String> marker) {
        public String markerOrNull() {
            return marker.orElse(null);
        }
    }

    /**
     * @param sortedByKey the listing, sorted by {@code key}
     * @param key         each item's sort key (its lower-case name)
     */
    public static <T> Page<T> page(List<T> sortedByKey, Function<T, String> key, String marker, Integer maxItems) {
        int size = maxItems == null ? DEFAULT_MAX_ITEMS : maxItems;
        int start = 0;
        if (marker != null) {
            String after = decode(marker);
            while (start < sortedByKey.size() && key.apply(sortedByKey.get(start)).compareTo(after) <= 0) {
                start++;
            }
        }
        int end = (int) Math.min(sortedByKey.size(), (long) start + size);
        List<T> items = List.copyOf(sortedByKey.subList(start, end));
        boolean truncated = end < sortedByKey.size();
        return new Page<>(items, truncated, truncated ? Optional.of(encode(key.apply(items.getLast()))) : Optional.empty());
    }

    /** Keeps those whose path begins with {@code pathPrefix} (all of them without one). */
    public static <T> List<T> underPath(List<T> items, Function<T, String> path, String pathPrefix) {
        if (pathPrefix == null) {
            return items;
        }
        return items.stream().filter(i -> path.apply(i).startsWith(pathPrefix)).toList();
    }

    private static String encode(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((VERSION + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String marker) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
            if (raw.startsWith(VERSION)) {
                return raw.substring(VERSION.length());
            }
        } catch (IllegalArgumentException e) {
            // not one of ours: refused below
        }
        throw IamErrors.validationError("Invalid Marker.");
    }
}
