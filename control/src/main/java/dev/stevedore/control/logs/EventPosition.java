package dev.stevedore.control.logs;

/**
 * A place in the order events are read in (timestamp, then ingestion order): what paging tokens stand for.
 * {@link #START} comes before every event.
 */
public record EventPosition(long timestamp, long id) implements Comparable<EventPosition> {
    public static final EventPosition START = new EventPosition(Long.MIN_VALUE, Long.MIN_VALUE);
    public static final EventPosition END = new EventPosition(Long.MAX_VALUE, Long.MAX_VALUE);

    @Override
    public int compareTo(EventPosition other) {
        int byTime = Long.compare(timestamp, other.timestamp);
        return byTime != 0 ? byTime : Long.compare(id, other.id);
    }
}
