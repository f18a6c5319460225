package dev.stevedore.control.logs;

/**
 * An event as stored.
 *
 * @param id the event's place in ingestion order: unique, rising with every event stored, so that events
 *           of the same timestamp keep the order they came in and a read can resume after one
 */
public record StoredLogEvent(long id, long streamId, long timestamp, long ingestionTime, String message) {

    public EventPosition position() {
        return new EventPosition(timestamp, id);
    }
}
