package dev.stevedore.control.logs;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * A log group as the {@link LogStore} keeps it.
 *
 * @param id            the store's own number for the group, which its streams and events refer to
 * @param storedBytes   the message bytes of its streams' events
 */
public record LogGroupRow(long id, LogsScope scope, String name, long creationTime, OptionalInt retentionDays,
                          Map<String, String> tags, long storedBytes) {
    public LogGroupRow {
        // Sorted by key, so that listings answer them in a stable order.
        tags = Collections.unmodifiableMap(new TreeMap<>(tags));
    }
}
