package dev.stevedore.control.logs;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.model.logs.InputLogEvent;
import dev.stevedore.model.logs.PutLogEventsResponse;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PutLogEvents. The sequence token is accepted and ignored, as CloudWatch Logs has done since 2023, and
 * a fresh one is returned for the clients that still pass it on.
 */
final class LogEventWrites {
    private final LogStore store;
    private final Clock clock;

    LogEventWrites(LogStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Map<String, JsonOperation> operations() {
        return Map.of("PutLogEvents", this::put);
    }

    /**
     * Reads the (already shape-checked) input itself rather than converting it to the request record:
     * a batch is thousands of events, and the conversion would walk them twice more.
     */
    PutLogEventsResponse put(CallContext ctx, ObjectNode input) {
        long now = clock.millis();
        LogGroupRow group = LogGroupNames.require(store, LogsScope.of(ctx), input.path("logGroupName").asText());
        LogStreamRow stream = store.stream(group.id(), input.path("logStreamName").asText())
                .orElseThrow(LogsErrors::streamNotFound);
        JsonNode events = input.path("logEvents");
        List<InputLogEvent> given = new ArrayList<>(events.size());
        for (JsonNode event : events) {
            given.add(new InputLogEvent(event.path("message").asText(), event.path("timestamp").asLong()));
        }
        EventBatch batch = EventBatch.screen(given, now, group.retentionDays());
        if (!batch.accepted().isEmpty()) {
            store.append(stream.id(), batch.accepted(), now).orElseThrow(LogsErrors::streamNotFound);
        }
        return PutLogEventsResponse.builder()
                .nextSequenceToken(sequenceToken(stream.id(), now))
                .rejectedLogEventsInfo(batch.rejected().orElse(null))
                .build();
    }

    /** A token of the form AWS's have (56 digits); nothing reads it back. */
    private static String sequenceToken(long streamId, long now) {
        String digits = Long.toString(streamId) + now + System.nanoTime();
        return "49" + "0".repeat(Math.max(0, 54 - digits.length())) + digits;
    }
}
