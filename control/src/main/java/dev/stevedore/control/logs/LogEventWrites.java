package dev.stevedore.control.logs;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.model.logs.PutLogEventsRequest;
import dev.stevedore.model.logs.PutLogEventsResponse;

import java.time.Clock;
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
        return Map.of("PutLogEvents", Operations.typed(PutLogEventsRequest.class, this::put));
    }

    PutLogEventsResponse put(CallContext ctx, PutLogEventsRequest r) {
        long now = clock.millis();
        LogGroupRow group = LogGroupNames.require(store, LogsScope.of(ctx), r.logGroupName());
        LogStreamRow stream = store.stream(group.id(), r.logStreamName()).orElseThrow(LogsErrors::streamNotFound);
        EventBatch batch = EventBatch.screen(r.logEvents(), now, group.retentionDays());
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
