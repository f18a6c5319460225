package dev.stevedore.control.logs;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.model.logs.CreateLogGroupRequest;
import dev.stevedore.model.logs.DeleteLogGroupRequest;
import dev.stevedore.model.logs.DeleteRetentionPolicyRequest;
import dev.stevedore.model.logs.DescribeLogGroupsRequest;
import dev.stevedore.model.logs.DescribeLogGroupsResponse;
import dev.stevedore.model.logs.LogGroup;
import dev.stevedore.model.logs.LogGroupClass;
import dev.stevedore.model.logs.PutRetentionPolicyRequest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** CreateLogGroup, DeleteLogGroup, DescribeLogGroups, PutRetentionPolicy and DeleteRetentionPolicy. */
final class LogGroupOperations {
    private static final String LISTING = "log-groups";
    private static final int DEFAULT_LIMIT = 50;

    private final LogStore store;
    private final Clock clock;

    LogGroupOperations(LogStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateLogGroup", Operations.typed(CreateLogGroupRequest.class, this::create),
                "DeleteLogGroup", Operations.typed(DeleteLogGroupRequest.class, this::delete),
                "DescribeLogGroups", Operations.typed(DescribeLogGroupsRequest.class, this::describe),
                "PutRetentionPolicy", Operations.typed(PutRetentionPolicyRequest.class, this::putRetention),
                "DeleteRetentionPolicy", Operations.typed(DeleteRetentionPolicyRequest.class, this::deleteRetention));
    }

    Object create(CallContext ctx, CreateLogGroupRequest r) {
        // Names under "aws/" (without a leading slash, in any case) are AWS's own; "/aws/..." is anyone's.
        if (r.logGroupName().regionMatches(true, 0, "aws/", 0, 4)) {
            throw LogsErrors.invalidParameter("Log groups starting with AWS/ are reserved for AWS.");
        }
        if (r.kmsKeyId() != null) {
            throw LogsErrors.invalidParameter("Stevedore does not encrypt log groups with KMS keys; leave out kmsKeyId.");
        }
        if (r.logGroupClass() != null && !LogGroupClass.STANDARD.equals(r.logGroupClass())) {
            throw LogsErrors.invalidParameter("Stevedore serves the STANDARD log group class only.");
        }
        Map<String, String> tags = r.tags() == null ? Map.of() : r.tags();
        LogTags.checkCount(tags.size());
        store.createGroup(LogsScope.of(ctx), r.logGroupName(), clock.millis(), tags)
                .orElseThrow(LogsErrors::groupExists);
        return null;
    }

    Object delete(CallContext ctx, DeleteLogGroupRequest r) {
        if (!store.deleteGroup(LogsScope.of(ctx), r.logGroupName())) {
            throw LogsErrors.groupNotFound();
        }
        return null;
    }

    DescribeLogGroupsResponse describe(CallContext ctx, DescribeLogGroupsRequest r) {
        LogsScope scope = LogsScope.of(ctx);
        if (r.logGroupNamePrefix() != null && r.logGroupNamePattern() != null) {
            throw LogsErrors.invalidParameter("LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.");
        }
        if (r.logGroupIdentifiers() != null && (r.logGroupNamePrefix() != null || r.logGroupNamePattern() != null)) {
            throw LogsErrors.invalidParameter(
                    "LogGroupIdentifiers is mutually exclusive with LogGroupNamePrefix and LogGroupNamePattern.");
        }
        int limit = r.limit() == null ? DEFAULT_LIMIT : r.limit();
        String after = r.nextToken() == null ? "" : PageToken.position(LISTING, r.nextToken());
        List<LogGroupRow> rows;
        if (r.logGroupIdentifiers() != null) {
            rows = new ArrayList<>();
            for (String identifier : r.logGroupIdentifiers().stream().sorted().toList()) {
                LogGroupNames.fromIdentifier(scope, identifier)
                        .filter(name -> name.compareTo(after) > 0)
                        .flatMap(name -> store.group(scope, name))
                        .ifPresent(rows::add);
            }
            rows = rows.stream().limit(limit + 1L).toList();
        } else {
            rows = store.groups(scope, nonNull(r.logGroupNamePrefix()), nonNull(r.logGroupNamePattern()), after,
                    limit + 1);
        }
        List<LogGroup> groups = rows.stream().limit(limit).map(LogGroupOperations::view).toList();
        String next = rows.size() > limit ? PageToken.after(LISTING, groups.getLast().logGroupName()) : null;
        return DescribeLogGroupsResponse.builder().logGroups(groups).nextToken(next).build();
    }

    Object putRetention(CallContext ctx, PutRetentionPolicyRequest r) {
        int days = RetentionDays.check(r.retentionInDays());
        if (!store.setRetention(LogsScope.of(ctx), r.logGroupName(), OptionalInt.of(days))) {
            throw LogsErrors.groupNotFound();
        }
        return null;
    }

    Object deleteRetention(CallContext ctx, DeleteRetentionPolicyRequest r) {
        if (!store.setRetention(LogsScope.of(ctx), r.logGroupName(), OptionalInt.empty())) {
            throw LogsErrors.groupNotFound();
        }
        return null;
    }

    static LogGroup view(LogGroupRow row) {
        String arn = row.scope().groupArn(row.name());
        return LogGroup.builder()
                .logGroupName(row.name())
                .creationTime(row.creationTime())
                .retentionInDays(row.retentionDays().isPresent() ? row.retentionDays().getAsInt() : null)
                .metricFilterCount(0)
                .arn(arn + ":*")
                .logGroupArn(arn)
                .storedBytes(row.storedBytes())
                .logGroupClass(LogGroupClass.STANDARD)
                .build();
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }
}
