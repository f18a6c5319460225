package dev.stevedore.control.logs;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.model.logs.ListTagsForResourceRequest;
import dev.stevedore.model.logs.ListTagsForResourceResponse;
import dev.stevedore.model.logs.ListTagsLogGroupRequest;
import dev.stevedore.model.logs.ListTagsLogGroupResponse;
import dev.stevedore.model.logs.TagLogGroupRequest;
import dev.stevedore.model.logs.TagResourceRequest;
import dev.stevedore.model.logs.UntagLogGroupRequest;
import dev.stevedore.model.logs.UntagResourceRequest;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A log group's tags, through both doors AWS has: the older TagLogGroup / UntagLogGroup /
 * ListTagsLogGroup by name, and TagResource / UntagResource / ListTagsForResource by the group's ARN.
 */
final class LogTags {
    static final int MAX_TAGS = 50;

    private final LogStore store;

    LogTags(LogStore store) {
        this.store = store;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "TagLogGroup", Operations.typed(TagLogGroupRequest.class,
                        (ctx, r) -> add(LogsScope.of(ctx), r.logGroupName(), r.tags())),
                "UntagLogGroup", Operations.typed(UntagLogGroupRequest.class,
                        (ctx, r) -> remove(LogsScope.of(ctx), r.logGroupName(), r.tags())),
                "ListTagsLogGroup", Operations.typed(ListTagsLogGroupRequest.class,
                        (ctx, r) -> ListTagsLogGroupResponse.builder()
                                .tags(list(LogsScope.of(ctx), r.logGroupName())).build()),
                "TagResource", Operations.typed(TagResourceRequest.class,
                        (ctx, r) -> add(LogsScope.of(ctx), groupOf(ctx, r.resourceArn()), r.tags())),
                "UntagResource", Operations.typed(UntagResourceRequest.class,
                        (ctx, r) -> remove(LogsScope.of(ctx), groupOf(ctx, r.resourceArn()), r.tagKeys())),
                "ListTagsForResource", Operations.typed(ListTagsForResourceRequest.class,
                        (ctx, r) -> ListTagsForResourceResponse.builder()
                                .tags(list(LogsScope.of(ctx), groupOf(ctx, r.resourceArn()))).build()));
    }

    static void checkCount(int count) {
        if (count > MAX_TAGS) {
            throw LogsErrors.tooManyTags();
        }
    }

    private Object add(LogsScope scope, String group, Map<String, String> tags) {
        store.updateTags(scope, group, existing -> {
            Map<String, String> merged = new TreeMap<>(existing);
            merged.putAll(tags);
            checkCount(merged.size());
            return merged;
        }).orElseThrow(LogsErrors::groupNotFound);
        return null;
    }

    private Object remove(LogsScope scope, String group, List<String> keys) {
        store.updateTags(scope, group, existing -> {
            Map<String, String> left = new TreeMap<>(existing);
            keys.forEach(left::remove);
            return left;
        }).orElseThrow(LogsErrors::groupNotFound);
        return null;
    }

    private Map<String, String> list(LogsScope scope, String group) {
        return LogGroupNames.require(store, scope, group).tags();
    }

    /** The group a resource ARN names; only log groups carry tags here. */
    private static String groupOf(CallContext ctx, String arn) {
        if (!arn.startsWith("arn:")) {
            throw LogsErrors.invalidParameter("Invalid resource arn: " + arn);
        }
        return LogGroupNames.fromIdentifier(LogsScope.of(ctx), arn).orElseThrow(LogsErrors::resourceNotFound);
    }
}
