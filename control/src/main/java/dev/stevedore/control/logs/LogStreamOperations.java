package dev.stevedore.control.logs;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.model.logs.CreateLogStreamRequest;
import dev.stevedore.model.logs.DeleteLogStreamRequest;
import dev.stevedore.model.logs.DescribeLogStreamsRequest;
import dev.stevedore.model.logs.DescribeLogStreamsResponse;
import dev.stevedore.model.logs.LogStream;
import dev.stevedore.model.logs.OrderBy;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** CreateLogStream, DeleteLogStream and DescribeLogStreams. */
final class LogStreamOperations {
    private static final String LISTING = "log-streams";
    private static final int DEFAULT_LIMIT = 50;

    private final LogStore store;
    private final Clock clock;

    LogStreamOperations(LogStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateLogStream", Operations.typed(CreateLogStreamRequest.class, this::create),
                "DeleteLogStream", Operations.typed(DeleteLogStreamRequest.class, this::delete),
                "DescribeLogStreams", Operations.typed(DescribeLogStreamsRequest.class, this::describe));
    }

    Object create(CallContext ctx, CreateLogStreamRequest r) {
        LogGroupRow group = LogGroupNames.require(store, LogsScope.of(ctx), r.logGroupName());
        if (store.createStream(group.id(), r.logStreamName(), clock.millis()).isEmpty()) {
            // Either the name is taken or the group went away in between; say which.
            LogGroupNames.require(store, LogsScope.of(ctx), r.logGroupName());
            throw LogsErrors.streamExists();
        }
        return null;
    }

    Object delete(CallContext ctx, DeleteLogStreamRequest r) {
        LogGroupRow group = LogGroupNames.require(store, LogsScope.of(ctx), r.logGroupName());
        if (!store.deleteStream(group.id(), r.logStreamName())) {
            throw LogsErrors.streamNotFound();
        }
        return null;
    }

    DescribeLogStreamsResponse describe(CallContext ctx, DescribeLogStreamsRequest r) {
        LogsScope scope = LogsScope.of(ctx);
        StreamOrder order = OrderBy.LAST_EVENT_TIME.equals(r.orderBy()) ? StreamOrder.LAST_EVENT_TIME
                : StreamOrder.LOG_STREAM_NAME;
        if (order == StreamOrder.LAST_EVENT_TIME && r.logStreamNamePrefix() != null) {
            throw LogsErrors.invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }
        String groupName = LogGroupNames.named(scope, r.logGroupName(), r.logGroupIdentifier());
        LogGroupRow group = LogGroupNames.require(store, scope, groupName);
        int limit = r.limit() == null ? DEFAULT_LIMIT : r.limit();
        Optional<StreamQuery.Cursor> after = Optional.ofNullable(r.nextToken())
                .map(token -> cursor(PageToken.position(LISTING, token)));
        StreamQuery query = new StreamQuery(r.logStreamNamePrefix() == null ? "" : r.logStreamNamePrefix(), order,
                Boolean.TRUE.equals(r.descending()), after, limit + 1);
        List<LogStreamRow> rows = store.streams(group.id(), query);
        List<LogStream> streams = rows.stream().limit(limit).map(row -> view(scope, groupName, row)).toList();
        String next = null;
        if (rows.size() > limit) {
            LogStreamRow last = rows.get(limit - 1);
            next = PageToken.after(LISTING, last.lastEventTimestamp().orElse(0) + "/" + last.name());
        }
        return DescribeLogStreamsResponse.builder().logStreams(streams).nextToken(next).build();
    }

    private static StreamQuery.Cursor cursor(String position) {
        int slash = position.indexOf('/');
        try {
            return new StreamQuery.Cursor(Long.parseLong(position.substring(0, slash)), position.substring(slash + 1));
        } catch (RuntimeException e) {
            throw LogsErrors.invalidNextToken();
        }
    }

    static LogStream view(LogsScope scope, String groupName, LogStreamRow row) {
        return LogStream.builder()
                .logStreamName(row.name())
                .creationTime(row.creationTime())
                .firstEventTimestamp(boxed(row.firstEventTimestamp()))
                .lastEventTimestamp(boxed(row.lastEventTimestamp()))
                .lastIngestionTime(boxed(row.lastIngestionTime()))
                .arn(scope.streamArn(groupName, row.name()))
                .storedBytes(row.storedBytes())
                .build();
    }

    private static Long boxed(java.util.OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
