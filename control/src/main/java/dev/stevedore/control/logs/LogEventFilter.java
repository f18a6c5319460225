package dev.stevedore.control.logs;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.logs.pattern.FilterPattern;
import dev.stevedore.control.logs.pattern.InvalidFilterPatternException;
import dev.stevedore.model.logs.FilterLogEventsRequest;
import dev.stevedore.model.logs.FilterLogEventsResponse;
import dev.stevedore.model.logs.FilteredLogEvent;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * FilterLogEvents: a group's events in time order across its streams (or the ones named, or those with
 * a name prefix), those matching the filter pattern. One call scans a bounded number of events; when it
 * stops before the end it answers a nextToken (possibly with no events), as AWS does, and the next call
 * carries on from the last event it scanned.
 */
final class LogEventFilter {
    private static final String LISTING = "filter";
    static final int DEFAULT_LIMIT = 10_000;
    /** Events one call looks at, at most: a call answers in bounded time however rare the matches. */
    static final int SCAN_BUDGET = 200_000;
    private static final int CHUNK = 2_000;
    private static final int MAX_STREAMS_IN_QUERY = 100;

    private final LogStore store;
    private final Clock clock;

    LogEventFilter(LogStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Map<String, JsonOperation> operations() {
        return Map.of("FilterLogEvents", Operations.typed(FilterLogEventsRequest.class, this::filter));
    }

    FilterLogEventsResponse filter(CallContext ctx, FilterLogEventsRequest r) {
        LogsScope scope = LogsScope.of(ctx);
        if (r.logStreamNames() != null && r.logStreamNamePrefix() != null) {
            throw LogsErrors.invalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
        }
        FilterPattern pattern;
        try {
            pattern = FilterPattern.parse(r.filterPattern() == null ? "" : r.filterPattern());
        } catch (InvalidFilterPatternException e) {
            throw LogsErrors.invalidParameter("Invalid filter pattern");
        }
        String groupName = LogGroupNames.named(scope, r.logGroupName(), r.logGroupIdentifier());
        LogGroupRow group = LogGroupNames.require(store, scope, groupName);
        EventPosition after = r.nextToken() == null ? EventPosition.START : position(r.nextToken());
        long from = Math.max(r.startTime() == null ? 0 : r.startTime(),
                LogEventReads.retentionCutoff(group, clock.millis()));
        // endTime is inclusive here, unlike GetLogEvents'.
        long to = r.endTime() == null || r.endTime() == Long.MAX_VALUE ? Long.MAX_VALUE : r.endTime() + 1;
        int limit = r.limit() == null ? DEFAULT_LIMIT : r.limit();

        Map<Long, String> streamNames = new HashMap<>();
        Optional<Set<Long>> only = streamsOf(group, r, streamNames);
        List<FilteredLogEvent> found = new ArrayList<>();
        String next = null;
        if (from < to && only.map(ids -> !ids.isEmpty()).orElse(true)) {
            int scanned = 0;
            long bytes = 0;
            // Many streams are better filtered here than as a long IN list the index cannot use.
            Optional<Set<Long>> inQuery = only.filter(ids -> ids.size() <= MAX_STREAMS_IN_QUERY);
            while (true) {
                List<StoredLogEvent> chunk = store.groupEvents(group.id(), inQuery, from, to, after, CHUNK);
                boolean full = false;
                for (StoredLogEvent event : chunk) {
                    after = event.position();
                    scanned++;
                    if (only.map(ids -> ids.contains(event.streamId())).orElse(true) && pattern.matches(event.message())) {
                        found.add(FilteredLogEvent.builder()
                                .logStreamName(streamNames.computeIfAbsent(event.streamId(),
                                        id -> store.streamName(id).orElse("")))
                                .timestamp(event.timestamp())
                                .message(event.message())
                                .ingestionTime(event.ingestionTime())
                                .eventId(Long.toString(event.id()))
                                .build());
                        bytes += event.message().getBytes(StandardCharsets.UTF_8).length;
                        if (found.size() >= limit || bytes >= LogEventReads.MAX_PAGE_BYTES) {
                            full = true;
                            break;
                        }
                    }
                }
                if (chunk.size() < CHUNK && !full) {
                    break;
                }
                if (full || scanned >= SCAN_BUDGET) {
                    next = PageToken.after(LISTING, after.timestamp() + "/" + after.id());
                    break;
                }
            }
        }
        return FilterLogEventsResponse.builder().events(found).nextToken(next).build();
    }

    /** The streams to look in (empty: all of the group's), naming each found in {@code names}. */
    private Optional<Set<Long>> streamsOf(LogGroupRow group, FilterLogEventsRequest r, Map<Long, String> names) {
        if (r.logStreamNames() != null) {
            Set<Long> ids = new HashSet<>();
            for (String name : r.logStreamNames()) {
                store.stream(group.id(), name).ifPresent(stream -> {
                    ids.add(stream.id());
                    names.put(stream.id(), stream.name());
                });
            }
            return Optional.of(ids);
        }
        if (r.logStreamNamePrefix() != null) {
            Set<Long> ids = new HashSet<>();
            Optional<StreamQuery.Cursor> cursor = Optional.empty();
            while (true) {
                List<LogStreamRow> page = store.streams(group.id(),
                        new StreamQuery(r.logStreamNamePrefix(), StreamOrder.LOG_STREAM_NAME, false, cursor, 1_000));
                for (LogStreamRow stream : page) {
                    ids.add(stream.id());
                    names.put(stream.id(), stream.name());
                }
                if (page.size() < 1_000) {
                    return Optional.of(ids);
                }
                cursor = Optional.of(new StreamQuery.Cursor(0, page.getLast().name()));
            }
        }
        return Optional.empty();
    }

    private static EventPosition position(String token) {
        String text = PageToken.position(LISTING, token);
        int slash = text.indexOf('/');
        try {
            return new EventPosition(Long.parseLong(text.substring(0, slash)), Long.parseLong(text.substring(slash + 1)));
        } catch (RuntimeException e) {
            throw LogsErrors.invalidNextToken();
        }
    }
}
