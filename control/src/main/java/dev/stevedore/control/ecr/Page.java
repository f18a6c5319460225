package dev.stevedore.control.ecr;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a listing in key order, ECR's {@code maxResults}/{@code nextToken}: the token is the last
 * key answered, opaque to the caller; a token that does not decode is ECR's InvalidParameterException.
 */
record Page<T>(List<T> items, Optional<String> nextToken) {

    static <T> Page<T> of(List<T> all, Function<T, String> key, String token, int maxResults) {
        String after = token == null ? null : decode(token);
        List<T> sorted = all.stream().sorted(Comparator.comparing(key))
                .filter(item -> after == null || key.apply(item).compareTo(after) > 0).toList();
        if (sorted.size() <= maxResults) {
            return new Page<>(sorted, Optional.empty());
        }
        List<T> page = sorted.subList(0, maxResults);
        return new Page<>(page, Optional.of(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(key.apply(page.get(page.size() - 1)).getBytes(StandardCharsets.UTF_8))));
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw EcrErrors.invalidParameter("Invalid parameter at 'nextToken' failed to satisfy constraint:"
                    + " 'Invalid pagination token'");
        }
    }
}
