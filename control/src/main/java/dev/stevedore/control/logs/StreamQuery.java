package dev.stevedore.control.logs;

import java.util.Optional;

/**
 * A page of DescribeLogStreams: streams whose name starts with {@code prefix}, in {@code order}, after
 * {@code after} (the last stream of the page before), at most {@code limit}.
 */
public record StreamQuery(String prefix, StreamOrder order, boolean descending, Optional<Cursor> after, int limit) {

    /** Where a page ended: the last stream's name and, for {@link StreamOrder#LAST_EVENT_TIME}, its last event time. */
    public record Cursor(long lastEventTime, String name) {
    }
}
