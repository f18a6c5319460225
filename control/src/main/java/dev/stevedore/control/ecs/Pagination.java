package dev.stevedore.control.ecs;

import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * ECS-style pagination over a key-ordered listing. The token names the last sort key returned
 * (plus a fingerprint of the filters), so it stays valid and skips nothing while items are added.
 */
public final class Pagination {
    private static final String VERSION = "v1";
    /** Records read from the store per step of a paged scan. */
    private static final int SCAN_CHUNK = 256;

    private Pagination() {
    }

    /** One page of results and the token for the next, if any. */
    public record Page<T>(List<T> items, java.util.Optional<String> nextToken) {
    }

    /** Resolves the requested page size against an operation's documented range and default. */
    public static int pageSize(Integer maxResults, int min, int max, int defaultSize) {
        if (maxResults == null) {
            return defaultSize;
        }
        if (maxResults < min || maxResults > max) {
            throw EcsErrors.invalidParameter("maxResults must be between " + min + " and " + max + ".");
        }
        return maxResults;
    }

    /**
     * Pages through {@code sorted} (already filtered, ascending by {@code sortKey}, or descending when
     * {@code descending}), using {@code sortKey} as the stable position of each item.
     */
    public static <T> Page<T> page(List<T> sorted, Function<T, String> sortKey, String nextToken, int size,
                                   String filterFingerprint, boolean descending) {
        String after = nextToken == null ? null : decode(nextToken, filterFingerprint);
        List<T> out = new ArrayList<>(Math.min(size, sorted.size()));
        int i = 0;
        if (after != null) {
            while (i < sorted.size() && !isAfter(sortKey.apply(sorted.get(i)), after, descending)) {
                i++;
            }
        }
        for (; i < sorted.size() && out.size() < size; i++) {
            out.add(sorted.get(i));
        }
        java.util.Optional<String> token = i < sorted.size() && !out.isEmpty()
                ? java.util.Optional.of(encode(sortKey.apply(out.get(out.size() - 1)), filterFingerprint))
                : java.util.Optional.empty();
        return new Page<>(out, token);
    }

    /**
     * Pages through the records under {@code prefix} in key order, reading the store a chunk at a
     * time and stopping once the page is full, so that a page costs the same on the thousandth
     * page as on the first. {@code match} turns a record into the item to list, or empty to skip
     * it; the key after the prefix is the item's position in the token.
     */
    public static <T> Page<T> pageByKey(StateStore store, String prefix, String nextToken, int size,
                                        String filterFingerprint, Function<KeyValue, Optional<T>> match) {
        String startAfter = nextToken == null ? "" : prefix + decode(nextToken, filterFingerprint);
        int chunk = Math.max(size + 1, SCAN_CHUNK);
        List<T> items = new ArrayList<>(size);
        String lastListedKey = "";
        boolean more = false;
        scan:
        while (true) {
            List<KeyValue> kvs = store.range(prefix, startAfter, chunk);
            for (KeyValue kv : kvs) {
                Optional<T> item = match.apply(kv);
                if (item.isEmpty()) {
                    continue;
                }
                if (items.size() == size) {
                    more = true;  // one match beyond the page: there is a next page
                    break scan;
                }
                items.add(item.get());
                lastListedKey = kv.key();
            }
            if (kvs.size() < chunk) {
                break;
            }
            startAfter = kvs.getLast().key();
        }
        Optional<String> token = more
                ? Optional.of(encode(lastListedKey.substring(prefix.length()), filterFingerprint))
                : Optional.empty();
        return new Page<>(items, token);
    }

    /** Ascending or descending, "after" means further along the listing's own order. */
    private static boolean isAfter(String key, String after, boolean descending) {
        int c = key.compareTo(after);
        return descending ? c < 0 : c > 0;
    }

    private static String encode(String lastKey, String fingerprint) {
        String raw = VERSION + "\n" + Integer.toHexString(Objects.hashCode(fingerprint)) + "\n" + lastKey;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token, String fingerprint) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = raw.split("\n", 3);
            if (parts.length == 3 && parts[0].equals(VERSION)
                    && parts[1].equals(Integer.toHexString(Objects.hashCode(fingerprint)))) {
                return parts[2];
            }
        } catch (IllegalArgumentException e) {
            // fall through: not one of our tokens
        }
        throw EcsErrors.invalidParameter("Invalid nextToken: it does not belong to this request's parameters.");
    }
}
