package dev.stevedore.control.logs;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.model.logs.GetLogEventsRequest;
import dev.stevedore.model.logs.GetLogEventsResponse;
import dev.stevedore.model.logs.OutputLogEvent;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * GetLogEvents: one stream's events in a time range, a page at a time in either direction. A forward
 * token that has nothing after it comes back unchanged, so a reader polls with it until events arrive.
 * Events past the group's retention are never returned, swept or not.
 */
final class LogEventReads {
    static final int DEFAULT_LIMIT = 10_000;
    /** A page holds at most this many bytes of messages, as on AWS. */
    static final int MAX_PAGE_BYTES = 1_048_576;

    private final LogStore store;
    private final Clock clock;

    LogEventReads(LogStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Map<String, JsonOperation> operations() {
        return Map.of("GetLogEvents", Operations.typed(GetLogEventsRequest.class, this::get));
    }

    GetLogEventsResponse get(CallContext ctx, GetLogEventsRequest r) {
        LogsScope scope = LogsScope.of(ctx);
        LogGroupRow group = LogGroupNames.require(store, scope,
                LogGroupNames.named(scope, r.logGroupName(), r.logGroupIdentifier()));
        LogStreamRow stream = store.stream(group.id(), r.logStreamName()).orElseThrow(LogsErrors::streamNotFound);
        EventTokens from = r.nextToken() != null ? EventTokens.parse(r.nextToken())
                : Boolean.TRUE.equals(r.startFromHead()) ? new EventTokens(true, EventPosition.START)
                : new EventTokens(false, EventPosition.END);
        long start = Math.max(r.startTime() == null ? 0 : r.startTime(), retentionCutoff(group, clock.millis()));
        long end = r.endTime() == null ? Long.MAX_VALUE : r.endTime();
        int limit = r.limit() == null ? DEFAULT_LIMIT : r.limit();
        List<StoredLogEvent> events = start >= end ? List.of()
                : withinPageSize(store.streamEvents(stream.id(), start, end, from.position(), from.forward(), limit),
                        from.forward());
        String forward;
        String backward;
        if (events.isEmpty()) {
            // Nothing before a backward position means a forward read from the start finds what comes later.
            forward = EventTokens.forward(from.forward() ? from.position() : EventPosition.START);
            backward = EventTokens.backward(from.position());
        } else {
            forward = EventTokens.forward(events.getLast().position());
            backward = EventTokens.backward(events.getFirst().position());
        }
        List<OutputLogEvent> out = new ArrayList<>(events.size());
        for (StoredLogEvent event : events) {
            out.add(OutputLogEvent.builder().timestamp(event.timestamp()).message(event.message())
                    .ingestionTime(event.ingestionTime()).build());
        }
        return GetLogEventsResponse.builder().events(out).nextForwardToken(forward).nextBackwardToken(backward).build();
    }

    /** The oldest timestamp still within the group's retention (0 without one). */
    static long retentionCutoff(LogGroupRow group, long now) {
        return group.retentionDays().isPresent() ? Math.max(0, now - RetentionDays.millis(group.retentionDays().getAsInt())) : 0;
    }

    /** The page cut to {@link #MAX_PAGE_BYTES}, keeping the events nearest the position read from. */
    private static List<StoredLogEvent> withinPageSize(List<StoredLogEvent> events, boolean forward) {
        long bytes = 0;
        int n = events.size();
        for (int i = 0; i < n; i++) {
            StoredLogEvent event = events.get(forward ? i : n - 1 - i);
            bytes += event.message().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_PAGE_BYTES && i > 0) {
                return forward ? events.subList(0, i) : events.subList(n - i, n);
            }
        }
        return events;
    }
}
