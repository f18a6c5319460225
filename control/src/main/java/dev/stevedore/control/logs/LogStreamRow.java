package dev.stevedore.control.logs;

import java.util.OptionalLong;

/**
 * A log stream as the {@link LogStore} keeps it; the event times are absent until its first event.
 *
 * @param id the store's own number for the stream, which its events refer to
 */
public record LogStreamRow(long id, long groupId, String name, long creationTime, OptionalLong firstEventTimestamp,
                           OptionalLong lastEventTimestamp, OptionalLong lastIngestionTime, long storedBytes) {
}
