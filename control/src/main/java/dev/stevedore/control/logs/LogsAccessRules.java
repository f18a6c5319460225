package dev.stevedore.control.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.control.access.Conditions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each CloudWatch Logs operation needs: {@code logs:OPERATION} on the resource it touches, named as
 * CloudWatch Logs names it when it authorizes. A call on a stream asks for the stream's ARN
 * ({@code …:log-group:G:log-stream:S}); a call on a group asks for the group's ARN with an empty stream
 * ({@code …:log-group:G:log-stream:}), which is why AWS's usual policy resource {@code …:log-group:G:*}
 * covers both; DescribeLogGroups names no group ({@code …:log-group::log-stream:}). TagResource and its
 * kin ask for the ARN they were given, with the tags as {@code aws:RequestTag/K} and {@code aws:TagKeys}.
 */
final class LogsAccessRules {
    private static final List<String> ON_A_GROUP = List.of("CreateLogGroup", "DeleteLogGroup", "PutRetentionPolicy",
            "DeleteRetentionPolicy", "CreateLogStream", "DescribeLogStreams", "FilterLogEvents", "ListTagsLogGroup",
            "TagLogGroup", "UntagLogGroup");
    private static final List<String> ON_A_STREAM = List.of("DeleteLogStream", "PutLogEvents", "GetLogEvents");

    private LogsAccessRules() {
    }

    static Map<String, AccessRule> rules() {
        Map<String, AccessRule> rules = new TreeMap<>();
        for (String op : ON_A_GROUP) {
            rules.put(op, (ctx, in) -> {
                Conditions conditions = Conditions.none();
                if (op.equals("CreateLogGroup") || op.equals("TagLogGroup")) {
                    requestTags(conditions, in.path("tags"));
                } else if (op.equals("UntagLogGroup")) {
                    conditions.withAll("aws:TagKeys", texts(in.path("tags")));
                }
                return List.of(new AccessRequest("logs:" + op, streamArn(ctx, group(ctx, in), ""), conditions.toMap()));
            });
        }
        for (String op : ON_A_STREAM) {
            rules.put(op, (ctx, in) -> List.of(new AccessRequest("logs:" + op,
                    streamArn(ctx, group(ctx, in), in.path("logStreamName").asText()))));
        }
        rules.put("DescribeLogGroups", (ctx, in) -> List.of(new AccessRequest("logs:DescribeLogGroups",
                streamArn(ctx, "", ""))));
        rules.put("TagResource", (ctx, in) -> List.of(new AccessRequest("logs:TagResource",
                in.path("resourceArn").asText(), requestTags(Conditions.none(), in.path("tags")).toMap())));
        rules.put("UntagResource", (ctx, in) -> List.of(new AccessRequest("logs:UntagResource",
                in.path("resourceArn").asText(),
                Conditions.none().withAll("aws:TagKeys", texts(in.path("tagKeys"))).toMap())));
        rules.put("ListTagsForResource", (ctx, in) -> List.of(new AccessRequest("logs:ListTagsForResource",
                in.path("resourceArn").asText())));
        return rules;
    }

    /** The group a call names, by name or identifier; an identifier of another scope is asked for as given. */
    private static String group(CallContext ctx, ObjectNode in) {
        if (in.has("logGroupName")) {
            return in.path("logGroupName").asText();
        }
        String identifier = in.path("logGroupIdentifier").asText();
        return LogGroupNames.fromIdentifier(LogsScope.of(ctx), identifier).orElse(identifier);
    }

    private static String streamArn(CallContext ctx, String group, String stream) {
        return LogsScope.of(ctx).streamArn(group, stream);
    }

    private static Conditions requestTags(Conditions conditions, JsonNode tags) {
        List<String> keys = new ArrayList<>();
        tags.fieldNames().forEachRemaining(key -> {
            keys.add(key);
            conditions.with("aws:RequestTag/" + key, tags.path(key).asText());
        });
        return keys.isEmpty() ? conditions : conditions.withAll("aws:TagKeys", keys);
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(item -> out.add(item.asText()));
        return out;
    }
}
