package dev.stevedore.control.logs;

import dev.stevedore.model.logs.InputLogEvent;
import dev.stevedore.model.logs.RejectedLogEventsInfo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * PutLogEvents' rules for a batch, as CloudWatch Logs applies them. A batch that breaks a rule of its
 * shape (too many events or bytes, out of order, spanning more than a day) is refused whole; events too
 * far in the past or future are left out and reported, the rest are stored.
 *
 * @param accepted what is to be stored, in order
 * @param rejected the indexes of the events left out, if any were
 */
record EventBatch(List<NewLogEvent> accepted, Optional<RejectedLogEventsInfo> rejected) {
    static final int MAX_EVENTS = 10_000;
    static final int MAX_BATCH_BYTES = 1_048_576;
    /** What CloudWatch Logs adds to each message's UTF-8 length when it counts a batch's size. */
    static final int EVENT_OVERHEAD_BYTES = 26;
    static final long MAX_SPAN_MILLIS = 24 * 3_600_000L;
    static final long MAX_AGE_MILLIS = 14 * 86_400_000L;
    static final long MAX_AHEAD_MILLIS = 2 * 3_600_000L;

    /**
     * @param now       the ingestion time
     * @param retention the group's retention, whose expired events are left out as well
     */
    static EventBatch screen(List<InputLogEvent> events, long now, OptionalInt retention) {
        if (events.size() > MAX_EVENTS) {
            throw LogsErrors.invalidParameter("1 validation error detected: Value at 'logEvents' failed to satisfy "
                    + "constraint: Member must have length less than or equal to " + MAX_EVENTS);
        }
        long bytes = 0;
        for (InputLogEvent event : events) {
            bytes += utf8Length(event.message()) + EVENT_OVERHEAD_BYTES;
        }
        if (bytes > MAX_BATCH_BYTES) {
            throw LogsErrors.invalidParameter("Upload too large: " + bytes + " bytes exceeds limit of " + MAX_BATCH_BYTES);
        }
        for (int i = 1; i < events.size(); i++) {
            if (events.get(i).timestamp() < events.get(i - 1).timestamp()) {
                throw LogsErrors.invalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
            }
        }
        if (!events.isEmpty() && events.getLast().timestamp() - events.getFirst().timestamp() > MAX_SPAN_MILLIS) {
            throw LogsErrors.invalidParameter(
                    "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
        }
        long tooOldBefore = now - MAX_AGE_MILLIS;
        long expiredBefore = retention.isPresent() ? now - RetentionDays.millis(retention.getAsInt()) : Long.MIN_VALUE;
        long tooNewAfter = now + MAX_AHEAD_MILLIS;
        int tooOldEnd = -1;
        int expiredEnd = -1;
        int tooNewStart = events.size();
        for (int i = 0; i < events.size(); i++) {
            long timestamp = events.get(i).timestamp();
            if (timestamp < tooOldBefore) {
                tooOldEnd = i;
            }
            if (timestamp < expiredBefore) {
                expiredEnd = i;
            }
            if (timestamp > tooNewAfter && tooNewStart == events.size()) {
                tooNewStart = i;
            }
        }
        int firstKept = Math.max(tooOldEnd, expiredEnd) + 1;
        List<NewLogEvent> accepted = events.subList(Math.min(firstKept, tooNewStart), tooNewStart).stream()
                .map(event -> new NewLogEvent(event.timestamp(), event.message()))
                .toList();
        if (tooOldEnd < 0 && expiredEnd < 0 && tooNewStart == events.size()) {
            return new EventBatch(accepted, Optional.empty());
        }
        return new EventBatch(accepted, Optional.of(RejectedLogEventsInfo.builder()
                .tooOldLogEventEndIndex(tooOldEnd < 0 ? null : tooOldEnd)
                .expiredLogEventEndIndex(expiredEnd < 0 ? null : expiredEnd)
                .tooNewLogEventStartIndex(tooNewStart == events.size() ? null : tooNewStart)
                .build()));
    }

    private static int utf8Length(String text) {
        int length = text.length();
        // Most log lines are ASCII: count them without encoding.
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return text.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return length;
    }
}
