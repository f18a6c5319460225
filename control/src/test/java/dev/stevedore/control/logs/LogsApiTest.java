package dev.stevedore.control.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.control.MovableClock;
import dev.stevedore.control.logs.sqlite.SqliteLogStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The Logs API over a real (temporary) SQLite log store, called as the JSON endpoint calls it. */
class LogsApiTest {
    private static final String ACCOUNT = "123456789012";
    private static final long DAY = 86_400_000L;

    private final SqliteLogStore store = SqliteLogStore.temporary();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T05:00:00Z"));
    private final LogsApi api = new LogsApi(store, clock);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void retentionHidesOldEventsAtOnceAndTheSweepDeletesThem() {
        groupWithStream("/app", "s");
        long now = clock.millis();
        put("/app", "s", List.of(now - 3 * DAY, now - 3 * DAY + 1), "old");
        put("/app", "s", List.of(now - 1000), "new");
        long before = stream("/app", "s").path("storedBytes").asLong();
        call("PutRetentionPolicy", Map.of("logGroupName", "/app", "retentionInDays", 3));

        assertThat(messages(call("GetLogEvents", Map.of("logGroupName", "/app", "logStreamName", "s",
                "startFromHead", true)))).containsExactly("old0", "old1", "new0");
        clock.advance(Duration.ofMillis(2));
        // Past three days now: gone from every read before any sweep.
        assertThat(messages(call("GetLogEvents", Map.of("logGroupName", "/app", "logStreamName", "s",
                "startFromHead", true)))).containsExactly("new0");
        assertThat(messages(call("FilterLogEvents", Map.of("logGroupName", "/app")))).containsExactly("new0");

        assertThat(api.retentionSweep().sweep()).isEqualTo(2);
        assertThat(api.retentionSweep().sweep()).isZero();
        JsonNode swept = stream("/app", "s");
        assertThat(swept.path("storedBytes").asLong()).isEqualTo(before - "old0".length() - "old1".length());
        assertThat(swept.path("firstEventTimestamp").asLong()).isEqualTo(now - 1000);

        call("DeleteRetentionPolicy", Map.of("logGroupName", "/app"));
        assertThat(call("DescribeLogGroups", Map.of()).path("logGroups").get(0).has("retentionInDays")).isFalse();
    }

    @Test
    void onlyTheRetentionPeriodsAwsOffersAreTaken() {
        call("CreateLogGroup", Map.of("logGroupName", "/app"));
        AwsException refused = fails("PutRetentionPolicy", Map.of("logGroupName", "/app", "retentionInDays", 2),
                "InvalidParameterException");
        assertThat(refused.getMessage()).startsWith("1 validation error detected: Value '2' at 'retentionInDays'")
                .contains("[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, "
                        + "2922, 3288, 3653]");
        fails("PutRetentionPolicy", Map.of("logGroupName", "/nope", "retentionInDays", 1), "ResourceNotFoundException");
    }

    @Test
    void describeLogGroupsByPrefixOrCaseInsensitivePatternPageByPage() {
        for (String name : List.of("/ecs/web", "/ecs/api", "/ECS/Worker", "/lambda/web", "other")) {
            call("CreateLogGroup", Map.of("logGroupName", name));
        }
        assertThat(groupNames(Map.of("logGroupNamePrefix", "/ecs/"))).containsExactly("/ecs/api", "/ecs/web");
        assertThat(groupNames(Map.of("logGroupNamePattern", "ecs"))).containsExactly("/ECS/Worker", "/ecs/api", "/ecs/web");
        assertThat(groupNames(Map.of("logGroupNamePattern", "web"))).containsExactly("/ecs/web", "/lambda/web");
        fails("DescribeLogGroups", Map.of("logGroupNamePrefix", "/ecs", "logGroupNamePattern", "web"),
                "InvalidParameterException");

        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> request = new java.util.HashMap<>(Map.of("limit", 2));
            if (token != null) {
                request.put("nextToken", token);
            }
            JsonNode page = call("DescribeLogGroups", request);
            page.path("logGroups").forEach(g -> paged.add(g.path("logGroupName").asText()));
            token = page.has("nextToken") ? page.path("nextToken").asText() : null;
        } while (token != null);
        assertThat(paged).containsExactly("/ECS/Worker", "/ecs/api", "/ecs/web", "/lambda/web", "other");
        fails("DescribeLogGroups", Map.of("nextToken", "bm90IG91cnM"), "InvalidParameterException");

        JsonNode group = call("DescribeLogGroups", Map.of("logGroupNamePrefix", "other")).path("logGroups").get(0);
        assertThat(group.path("arn").asText()).isEqualTo("arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group:other:*");
        assertThat(group.path("logGroupArn").asText()).isEqualTo("arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group:other");
        assertThat(group.path("creationTime").asLong()).isEqualTo(clock.millis());
        assertThat(group.path("storedBytes").asLong()).isZero();
    }

    @Test
    void groupsAndStreamsAreCreatedOnceAndNamedInErrorsAsAwsDoes() {
        assertThat(fails("CreateLogGroup", Map.of("logGroupName", "Aws/mine"), "InvalidParameterException").getMessage())
                .isEqualTo("Log groups starting with AWS/ are reserved for AWS.");
        call("CreateLogGroup", Map.of("logGroupName", "/aws/lambda/fn"));
        call("CreateLogGroup", Map.of("logGroupName", "/app"));
        assertThat(fails("CreateLogGroup", Map.of("logGroupName", "/app"), "ResourceAlreadyExistsException")
                .getMessage()).isEqualTo("The specified log group already exists");
        assertThat(fails("CreateLogStream", Map.of("logGroupName", "/none", "logStreamName", "s"),
                "ResourceNotFoundException").getMessage()).isEqualTo("The specified log group does not exist.");
        call("CreateLogStream", Map.of("logGroupName", "/app", "logStreamName", "s"));
        assertThat(fails("CreateLogStream", Map.of("logGroupName", "/app", "logStreamName", "s"),
                "ResourceAlreadyExistsException").getMessage()).isEqualTo("The specified log stream already exists");
        assertThat(fails("GetLogEvents", Map.of("logGroupName", "/app", "logStreamName", "t"),
                "ResourceNotFoundException").getMessage()).isEqualTo("The specified log stream does not exist.");
        // Deleting the group takes its streams and events along.
        put("/app", "s", List.of(clock.millis()), "m");
        call("DeleteLogGroup", Map.of("logGroupName", "/app"));
        call("CreateLogGroup", Map.of("logGroupName", "/app"));
        assertThat(call("DescribeLogStreams", Map.of("logGroupName", "/app")).path("logStreams")).isEmpty();
    }

    @Test
    void aReaderPollingAnEmptyStreamWithItsForwardTokenGetsWhatArrivesLater() {
        groupWithStream("/app", "s");
        JsonNode empty = call("GetLogEvents", Map.of("logGroupName", "/app", "logStreamName", "s"));
        assertThat(empty.path("events")).isEmpty();
        String forward = empty.path("nextForwardToken").asText();
        assertThat(forward).matches("f/[0-9]{40}/s");
        assertThat(empty.path("nextBackwardToken").asText()).matches("b/[0-9]{40}/s");

        put("/app", "s", List.of(clock.millis() - 5, clock.millis() - 4), "e");
        JsonNode first = call("GetLogEvents", Map.of("logGroupName", "/app", "logStreamName", "s", "nextToken", forward));
        assertThat(messages(first)).containsExactly("e0", "e1");
        String next = first.path("nextForwardToken").asText();
        assertThat(call("GetLogEvents", Map.of("logGroupName", "/app", "logStreamName", "s", "nextToken", next))
                .path("nextForwardToken").asText()).isEqualTo(next);
        // Same timestamp as the last one read: still found, in arrival order.
        put("/app", "s", List.of(clock.millis() - 4), "late");
        assertThat(messages(call("GetLogEvents", Map.of("logGroupName", "/app", "logStreamName", "s",
                "nextToken", next)))).containsExactly("late0");
        fails("GetLogEvents", Map.of("logGroupName", "/app", "logStreamName", "s", "nextToken", "f/123/s"),
                "InvalidParameterException");
    }

    @Test
    void filterLogEventsInterleavesStreamsByTimeAndNamesTheStream() {
        call("CreateLogGroup", Map.of("logGroupName", "/app"));
        for (String s : List.of("web/1", "web/2", "worker/1")) {
            call("CreateLogStream", Map.of("logGroupName", "/app", "logStreamName", s));
        }
        long t = clock.millis() - 100;
        put("/app", "web/1", List.of(t, t + 3), "w1-");
        put("/app", "web/2", List.of(t + 1, t + 4), "w2-");
        put("/app", "worker/1", List.of(t + 2), "k-");
        JsonNode all = call("FilterLogEvents", Map.of("logGroupName", "/app"));
        assertThat(messages(all)).containsExactly("w1-0", "w2-0", "k-0", "w1-1", "w2-1");
        assertThat(all.path("events").get(2).path("logStreamName").asText()).isEqualTo("worker/1");
        assertThat(messages(call("FilterLogEvents", Map.of("logGroupName", "/app", "logStreamNamePrefix", "web/",
                "startTime", t + 1, "endTime", t + 3)))).containsExactly("w2-0", "w1-1");
        assertThat(messages(call("FilterLogEvents", Map.of("logGroupName", "/app", "logStreamNames", List.of("worker/1"))))).containsExactly("k-0");
        assertThat(messages(call("FilterLogEvents", Map.of("logGroupName", "/app", "filterPattern", "?k ?w2")))).containsExactly("w2-0", "k-0", "w2-1");
        assertThat(fails("FilterLogEvents", Map.of("logGroupName", "/app", "filterPattern", "{ $.x = "),
                "InvalidParameterException").getMessage()).isEqualTo("Invalid filter pattern");

        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> request = new java.util.HashMap<>(Map.of("logGroupName", "/app", "limit", 2));
            if (token != null) {
                request.put("nextToken", token);
            }
            JsonNode page = call("FilterLogEvents", request);
            paged.addAll(messages(page));
            token = page.has("nextToken") ? page.path("nextToken").asText() : null;
        } while (token != null);
        assertThat(paged).containsExactly("w1-0", "w2-0", "k-0", "w1-1", "w2-1");
    }

    @Test
    void describeLogStreamsByLastEventTimeRefusesAPrefix() {
        groupWithStream("/app", "b");
        call("CreateLogStream", Map.of("logGroupName", "/app", "logStreamName", "a"));
        call("CreateLogStream", Map.of("logGroupName", "/app", "logStreamName", "c"));
        put("/app", "c", List.of(clock.millis() - 10), "x");
        put("/app", "a", List.of(clock.millis() - 5), "x");
        assertThat(streamNames(Map.of("logGroupName", "/app", "orderBy", "LastEventTime"))).containsExactly("b", "c", "a");
        assertThat(streamNames(Map.of("logGroupName", "/app", "orderBy", "LastEventTime", "descending", true)))
                .containsExactly("a", "c", "b");
        assertThat(streamNames(Map.of("logGroupName", "/app", "descending", true))).containsExactly("c", "b", "a");
        assertThat(streamNames(Map.of("logGroupName", "/app", "logStreamNamePrefix", "b"))).containsExactly("b");
        assertThat(fails("DescribeLogStreams", Map.of("logGroupName", "/app", "logStreamNamePrefix", "b",
                "orderBy", "LastEventTime"), "InvalidParameterException").getMessage())
                .isEqualTo("Cannot order by LastEventTime with a logStreamNamePrefix.");
    }

    @Test
    void tagsThroughBothDoorsAreTheSameTags() {
        call("CreateLogGroup", Map.of("logGroupName", "/app", "tags", Map.of("team", "red")));
        call("TagLogGroup", Map.of("logGroupName", "/app", "tags", Map.of("env", "dev")));
        String arn = "arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group:/app";
        assertThat(call("ListTagsForResource", Map.of("resourceArn", arn)).path("tags").toString())
                .isEqualTo("{\"env\":\"dev\",\"team\":\"red\"}");
        call("UntagResource", Map.of("resourceArn", arn, "tagKeys", List.of("team")));
        assertThat(call("ListTagsLogGroup", Map.of("logGroupName", "/app")).path("tags").toString())
                .isEqualTo("{\"env\":\"dev\"}");
        fails("ListTagsForResource", Map.of("resourceArn", "arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group:/none"),
                "ResourceNotFoundException");
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 50; i++) {
            many.put("k" + i, "v");
        }
        fails("TagResource", Map.of("resourceArn", arn, "tags", many), "LimitExceededException");
        assertThat(call("ListTagsLogGroup", Map.of("logGroupName", "/app")).path("tags").size()).isEqualTo(1);
    }

    @Test
    void accessRulesNameTheGroupOrStreamAsCloudWatchLogsAuthorizesThem() {
        assertThat(api.accessRules().keySet()).isEqualTo(api.operations().keySet());
        String group = "arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group:/app";
        assertThat(requests("CreateLogGroup", Map.of("logGroupName", "/app", "tags", Map.of("team", "red"))))
                .singleElement().satisfies(r -> {
                    assertThat(r.action()).isEqualTo("logs:CreateLogGroup");
                    assertThat(r.resource()).isEqualTo(group + ":log-stream:");
                    assertThat(r.conditionKeys()).containsEntry("aws:RequestTag/team", List.of("red"))
                            .containsEntry("aws:TagKeys", List.of("team"));
                });
        assertThat(requests("PutLogEvents", Map.of("logGroupName", "/app", "logStreamName", "web/1")))
                .extracting(AccessRequest::resource).containsExactly(group + ":log-stream:web/1");
        assertThat(requests("GetLogEvents", Map.of("logGroupIdentifier", group, "logStreamName", "s")))
                .extracting(AccessRequest::resource).containsExactly(group + ":log-stream:s");
        assertThat(requests("DescribeLogGroups", Map.of())).extracting(AccessRequest::resource)
                .containsExactly("arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group::log-stream:");
        assertThat(requests("TagResource", Map.of("resourceArn", group, "tags", Map.of("a", "b"))))
                .extracting(AccessRequest::resource).containsExactly(group);
    }

    // ---- helpers

    private void groupWithStream(String group, String stream) {
        call("CreateLogGroup", Map.of("logGroupName", group));
        call("CreateLogStream", Map.of("logGroupName", group, "logStreamName", stream));
    }

    private void put(String group, String stream, List<Long> timestamps, String prefix) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (long t : timestamps) {
            events.add(Map.of("timestamp", t, "message", prefix + events.size()));
        }
        call("PutLogEvents", Map.of("logGroupName", group, "logStreamName", stream, "logEvents", events));
    }

    private JsonNode stream(String group, String name) {
        for (JsonNode s : call("DescribeLogStreams", Map.of("logGroupName", group)).path("logStreams")) {
            if (s.path("logStreamName").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no stream " + name);
    }

    private static List<String> messages(JsonNode response) {
        return response.path("events").findValuesAsText("message");
    }

    private List<String> groupNames(Map<String, Object> request) {
        return call("DescribeLogGroups", request).path("logGroups").findValuesAsText("logGroupName");
    }

    private List<String> streamNames(Map<String, Object> request) {
        return call("DescribeLogStreams", request).path("logStreams").findValuesAsText("logStreamName");
    }

    private List<AccessRequest> requests(String operation, Map<String, ?> request) {
        ObjectNode input = AwsJson.mapper().valueToTree(request);
        return api.accessRules().get(operation).requests(context(operation), input);
    }

    private JsonNode call(String operation, Map<String, ?> request) {
        ObjectNode input = AwsJson.mapper().valueToTree(request);
        Object result = api.operations().get(operation).handle(context(operation), input);
        return result == null ? AwsJson.mapper().createObjectNode() : AwsJson.mapper().valueToTree(result);
    }

    private AwsException fails(String operation, Map<String, ?> request, String code) {
        try {
            call(operation, request);
        } catch (AwsException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            return e;
        }
        throw new AssertionError(operation + " did not fail");
    }

    private static CallContext context(String operation) {
        return new CallContext(UUID.randomUUID().toString(),
                new Principal(ACCOUNT, "AKIAROOT", "arn:aws:iam::" + ACCOUNT + ":root"), operation, "us-east-1");
    }
}
