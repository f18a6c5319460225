package dev.stevedore.control.elb.query;

import dev.stevedore.control.iam.query.Listing;

import java.util.List;
import java.util.function.Function;

/**
 * ELB's Marker/PageSize: IAM's Marker paging (the same opaque marker naming the last key answered, the same
 * ValidationError for one that is not ours) with ELB's page size, 1 to 400, default 400.
 */
public final class Paging {
    public static final int DEFAULT_PAGE_SIZE = 400;

    private Paging() {
    }

    public static <T> Listing.Page<T> page(List<T> sortedByKey, Function<T, String> key, String marker, Integer pageSize) {
        return Listing.page(sortedByKey, key, marker, pageSize == null ? DEFAULT_PAGE_SIZE : pageSize);
    }
}
