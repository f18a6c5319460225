package dev.stevedore.control.ec2.query;

import dev.stevedore.control.ec2.Ec2Errors;
import dev.stevedore.model.ec2.Filter;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * EC2's MaxResults/NextToken over a listing sorted by resource id. Without MaxResults, EC2 answers
 * everything at once. The token names the last id answered (and a fingerprint of the call's
 * filters), so it skips nothing and repeats nothing while records are added or removed between pages.
 */
public final class Paging {
    private static final String VERSION = "ec2v1";

    private Paging() {
    }

    /** One page and the token for the next, if there is more. */
    public record Page<T>(List<T> items, Optional<String> nextToken) {
        /** The token as the output record carries it: absent on the last page. */
        public String nextTokenOrNull() {
            return nextToken.orElse(null);
        }
    }

    /** The bounds one operation's MaxResults takes. */
    public record Bounds(int min, int max) {
        /** Most Describe calls of the VPC API: 5 to 1000. */
        public static final Bounds DESCRIBE = new Bounds(5, 1000);
    }

    /**
     * Pages through {@code sortedById}.
     *
     * @param operation the call, so a token of one call is not taken by another
     * @param filters   the call's filters, so a token is not taken with other filters
     */
    public static <T> Page<T> page(List<T> sortedById, Function<T, String> id, String operation, List<Filter> filters,
                                   Integer maxResults, String nextToken, Bounds bounds) {
        int size = Integer.MAX_VALUE;
        if (maxResults != null) {
            if (maxResults < bounds.min() || maxResults > bounds.max()) {
                throw Ec2Errors.invalidParameterValue("Value ( " + maxResults + " ) for parameter maxResults is invalid. "
                        + (maxResults < bounds.min()
                        ? "Expecting a value greater than " + bounds.min() + "."
                        : "Expecting a value less than " + bounds.max() + "."));
            }
            size = maxResults;
        }
        String fingerprint = operation + "|" + Objects.toString(filters);
        int start = 0;
        if (nextToken != null) {
            String after = decode(nextToken, fingerprint);
            while (start < sortedById.size() && id.apply(sortedById.get(start)).compareTo(after) <= 0) {
                start++;
            }
        }
        int end = (int) Math.min(sortedById.size(), (long) start + size);
        List<T> items = List.copyOf(sortedById.subList(start, end));
        Optional<String> token = end < sortedById.size() && !items.isEmpty()
                ? Optional.of(encode(id.apply(items.getLast()), fingerprint))
                : Optional.empty();
        return new Page<>(items, token);
    }

    /**
     * Refuses ids together with MaxResults, for the calls whose documentation says EC2 refuses them;
     * {@code idsParameter} is the name EC2 gives the id list in its message (e.g. {@code instancesSet}).
     */
    public static void refuseIdsWithMaxResults(List<String> ids, String idsParameter, Integer maxResults) {
        if (ids != null && !ids.isEmpty() && maxResults != null) {
            throw Ec2Errors.invalidParameterCombination(
                    "The parameter " + idsParameter + " cannot be used with the parameter maxResults");
        }
    }

    private static String encode(String lastId, String fingerprint) {
        String raw = VERSION + "\n" + Integer.toHexString(fingerprint.hashCode()) + "\n" + lastId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token, String fingerprint) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", 3);
            if (parts.length == 3 && parts[0].equals(VERSION)
                    && parts[1].equals(Integer.toHexString(fingerprint.hashCode()))) {
                return parts[2];
            }
        } catch (IllegalArgumentException e) {
            // not one of ours: refused below
        }
        throw Ec2Errors.invalidParameterValue("Value (" + token + ") for parameter NextToken is invalid. The token is invalid.");
    }
}
