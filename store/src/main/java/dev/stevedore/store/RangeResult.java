package dev.stevedore.store;

import java.util.List;

/** Keys read in one consistent view, and the revision that view is at. */
public record RangeResult(List<KeyValue> kvs, long revision) {
    public RangeResult {
        kvs = List.copyOf(kvs);
    }
}
