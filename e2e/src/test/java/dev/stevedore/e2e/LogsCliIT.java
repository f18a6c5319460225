package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CloudWatch Logs through the real AWS CLI v2: groups and streams, PutLogEvents and GetLogEvents,
 * filter-log-events with a phrase and a JSON field, {@code aws logs tail --follow} seeing events put
 * after it started, and a retention policy hiding events older than it. Each test uses its own group.
 */
class LogsCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    static InProcessStevedore stevedore;
    static AwsCli root;

    @BeforeAll
    static void start() {
        stevedore = InProcessStevedore.start();
        root = new AwsCli(stevedore.plane.endpoint());
    }

    @AfterAll
    static void stop() {
        stevedore.close();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new group (its name made unique from {@code name}) with one stream in it; the group's name. */
    private static String groupWithStream(String name, String stream) {
        String group = unique(name);
        root.ok("logs", "create-log-group", "--log-group-name", group);
        root.ok("logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", stream);
        return group;
    }

    /** The --log-events argument for messages at the given times. */
    private static String events(List<Long> timestamps, List<String> messages) {
        ArrayNode list = JSON.createArrayNode();
        for (int i = 0; i < timestamps.size(); i++) {
            list.addObject().put("timestamp", timestamps.get(i)).put("message", messages.get(i));
        }
        return list.toString();
    }

    private static List<String> messages(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(event -> out.add(event.path("message").asText()));
        return out;
    }

    @Test
    void eventsPutInAStreamAreReadBackInOrderWithForwardTokens() {
        String group = unique("/ecs/web");
        root.ok("logs", "create-log-group", "--log-group-name", group);
        root.fails("ResourceAlreadyExistsException", "logs", "create-log-group", "--log-group-name", group);
        root.ok("logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", "web/app/1");
        long now = System.currentTimeMillis();
        JsonNode put = root.ok("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "web/app/1",
                "--log-events", events(List.of(now - 2000, now - 1000, now), List.of("first", "second", "third")));
        assertThat(put.path("nextSequenceToken").asText()).isNotEmpty();
        assertThat(put.has("rejectedLogEventsInfo")).isFalse();

        JsonNode got = root.ok("logs", "get-log-events", "--log-group-name", group, "--log-stream-name", "web/app/1",
                "--start-from-head");
        assertThat(messages(got.path("events"))).containsExactly("first", "second", "third");
        assertThat(got.path("events").get(0).path("timestamp").asLong()).isEqualTo(now - 2000);

        // Nothing new: the forward token comes back unchanged; then a new event is found with it.
        String forward = got.path("nextForwardToken").asText();
        JsonNode again = root.ok("logs", "get-log-events", "--log-group-name", group, "--log-stream-name", "web/app/1",
                "--next-token", forward);
        assertThat(again.path("events")).isEmpty();
        assertThat(again.path("nextForwardToken").asText()).isEqualTo(forward);
        root.ok("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "web/app/1",
                "--sequence-token", put.path("nextSequenceToken").asText(),
                "--log-events", events(List.of(now + 10), List.of("fourth")));
        JsonNode next = root.ok("logs", "get-log-events", "--log-group-name", group, "--log-stream-name", "web/app/1",
                "--next-token", forward);
        assertThat(messages(next.path("events"))).containsExactly("fourth");

        JsonNode streams = root.ok("logs", "describe-log-streams", "--log-group-name", group);
        JsonNode stream = streams.path("logStreams").get(0);
        assertThat(stream.path("logStreamName").asText()).isEqualTo("web/app/1");
        assertThat(stream.path("firstEventTimestamp").asLong()).isEqualTo(now - 2000);
        assertThat(stream.path("lastEventTimestamp").asLong()).isEqualTo(now + 10);
        assertThat(stream.path("arn").asText()).isEqualTo("arn:aws:logs:us-east-1:" + InProcessStevedore.ACCOUNT
                + ":log-group:" + group + ":log-stream:web/app/1");

        String missing = root.fails("ResourceNotFoundException", "logs", "put-log-events", "--log-group-name", group,
                "--log-stream-name", "nope", "--log-events", events(List.of(now), List.of("x")));
        assertThat(missing).contains("The specified log stream does not exist.");
        root.fails("InvalidParameterException", "logs", "put-log-events", "--log-group-name", group,
                "--log-stream-name", "web/app/1", "--log-events", events(List.of(now, now - 1), List.of("b", "a")));
    }

    @Test
    void eventsTooOldOrTooNewAreLeftOutAndReportedAndTheRestStored() {
        String group = groupWithStream("/ecs/edges", "s");
        long now = System.currentTimeMillis();
        long hour = 3_600_000L;
        JsonNode put = root.ok("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "s",
                "--log-events", events(List.of(now - 20 * hour, now, now + 3 * hour), List.of("day old", "kept", "future")));
        assertThat(put.path("rejectedLogEventsInfo").path("tooNewLogEventStartIndex").asInt()).isEqualTo(2);
        assertThat(messages(root.ok("logs", "get-log-events", "--log-group-name", group, "--log-stream-name", "s",
                "--start-from-head").path("events"))).containsExactly("day old", "kept");
        String tooLong = root.fails("InvalidParameterException", "logs", "put-log-events", "--log-group-name", group,
                "--log-stream-name", "s", "--log-events", events(List.of(now - 25 * hour, now), List.of("a", "b")));
        assertThat(tooLong).contains("cannot span more than 24 hours");
    }

    @Test
    void filterLogEventsFindsAPhraseAndAJsonField() {
        String group = groupWithStream("/ecs/api", "a");
        root.ok("logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", "b");
        long now = System.currentTimeMillis();
        root.ok("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "a", "--log-events",
                events(List.of(now - 3000, now - 2000), List.of("GET /health 200", "connection reset by peer")));
        root.ok("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "b", "--log-events",
                events(List.of(now - 2500, now - 1500),
                        List.of("{\"level\":\"error\",\"latency\":812}", "{\"level\":\"info\",\"latency\":3}")));

        JsonNode phrase = root.ok("logs", "filter-log-events", "--log-group-name", group,
                "--filter-pattern", "\"reset by peer\"");
        assertThat(messages(phrase.path("events"))).containsExactly("connection reset by peer");
        assertThat(phrase.path("events").get(0).path("logStreamName").asText()).isEqualTo("a");

        JsonNode json = root.ok("logs", "filter-log-events", "--log-group-name", group,
                "--filter-pattern", "{ $.level = \"error\" && $.latency > 500 }");
        assertThat(messages(json.path("events"))).containsExactly("{\"level\":\"error\",\"latency\":812}");

        JsonNode all = root.ok("logs", "filter-log-events", "--log-group-name", group, "--start-time",
                Long.toString(now - 2600));
        assertThat(messages(all.path("events"))).containsExactly("{\"level\":\"error\",\"latency\":812}",
                "connection reset by peer", "{\"level\":\"info\",\"latency\":3}");

        String bad = root.fails("InvalidParameterException", "logs", "filter-log-events", "--log-group-name", group,
                "--filter-pattern", "{ $.level = ");
        assertThat(bad).contains("Invalid filter pattern");
    }

    @Test
    void tailFollowShowsEventsPutAfterItStarted() throws Exception {
        String group = groupWithStream("/ecs/tail", "web/app/7");
        long now = System.currentTimeMillis();
        root.ok("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "web/app/7",
                "--log-events", events(List.of(now - 1000), List.of("before the tail")));

        Process tail = root.command("logs", "tail", group, "--follow", "--since", "1h", "--format", "short")
                .redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(tail.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("read failed: " + e);
            }
        });
        try {
            Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> lines.stream().anyMatch(l -> l.endsWith("before the tail")));
            long later = System.currentTimeMillis();
            root.ok("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "web/app/7",
                    "--log-events", events(List.of(later), List.of("after the tail started")));
            Awaitility.await().atMost(60, TimeUnit.SECONDS)
                    .until(() -> lines.stream().anyMatch(l -> l.endsWith("after the tail started")));
        } finally {
            tail.destroy();
            if (!tail.waitFor(10, TimeUnit.SECONDS)) {
                tail.destroyForcibly();
            }
            reader.join(10_000);
        }
        assertThat(lines.stream().filter(l -> l.endsWith("before the tail"))).hasSize(1);
        assertThat(lines.stream().filter(l -> l.endsWith("after the tail started"))).hasSize(1);
    }

    @Test
    void aRetentionPolicyHidesEventsOlderThanIt() {
        String group = groupWithStream("/ecs/retained", "s");
        long now = System.currentTimeMillis();
        long day = 86_400_000L;
        root.ok("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "s", "--log-events",
                events(List.of(now - 2 * day, now - 2 * day + 1), List.of("two days ago", "also two days ago")));
        root.ok("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "s", "--log-events",
                events(List.of(now), List.of("today")));
        assertThat(messages(root.ok("logs", "get-log-events", "--log-group-name", group, "--log-stream-name", "s",
                "--start-from-head").path("events"))).containsExactly("two days ago", "also two days ago", "today");

        root.fails("InvalidParameterException", "logs", "put-retention-policy", "--log-group-name", group,
                "--retention-in-days", "2");
        root.ok("logs", "put-retention-policy", "--log-group-name", group, "--retention-in-days", "1");
        JsonNode described = root.ok("logs", "describe-log-groups", "--log-group-name-prefix", group);
        assertThat(described.path("logGroups").get(0).path("retentionInDays").asInt()).isEqualTo(1);

        assertThat(messages(root.ok("logs", "get-log-events", "--log-group-name", group, "--log-stream-name", "s",
                "--start-from-head").path("events"))).containsExactly("today");
        assertThat(messages(root.ok("logs", "filter-log-events", "--log-group-name", group).path("events")))
                .containsExactly("today");
        // Too old for the group's retention now: left out and reported as expired.
        JsonNode put = root.ok("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "s",
                "--log-events", events(List.of(now - 2 * day), List.of("expired on arrival")));
        assertThat(put.path("rejectedLogEventsInfo").path("expiredLogEventEndIndex").asInt()).isZero();
    }

    @Test
    void aPolicyOnTheGroupsUsualResourceLetsAUserWriteThereOnlyAndReadOnlyAccessReads() {
        String group = groupWithStream("/ecs/guarded", "s");
        String other = groupWithStream("/ecs/elsewhere", "s");
        String user = unique("shipper");
        root.ok("iam", "create-user", "--user-name", user);
        root.ok("iam", "put-user-policy", "--user-name", user, "--policy-name", "ship", "--policy-document",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogStream\","
                        + "\"logs:PutLogEvents\"],\"Resource\":\"arn:aws:logs:us-east-1:" + InProcessStevedore.ACCOUNT
                        + ":log-group:" + group + ":*\"}]}");
        root.ok("iam", "attach-user-policy", "--user-name", user, "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        JsonNode key = root.ok("iam", "create-access-key", "--user-name", user).path("AccessKey");
        AwsCli shipper = root.as(key.path("AccessKeyId").asText(), key.path("SecretAccessKey").asText(),
                java.util.Optional.empty());

        long now = System.currentTimeMillis();
        shipper.ok("logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", "task/1");
        shipper.ok("logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "task/1",
                "--log-events", events(List.of(now), List.of("shipped")));
        assertThat(messages(shipper.ok("logs", "filter-log-events", "--log-group-name", group).path("events")))
                .containsExactly("shipped");
        String denied = shipper.fails("AccessDeniedException", "logs", "put-log-events", "--log-group-name", other,
                "--log-stream-name", "s", "--log-events", events(List.of(now), List.of("nope")));
        assertThat(denied).contains("is not authorized to perform: logs:PutLogEvents on resource: arn:aws:logs:us-east-1:"
                + InProcessStevedore.ACCOUNT + ":log-group:" + other + ":log-stream:s");
        shipper.fails("AccessDeniedException", "logs", "create-log-group", "--log-group-name", unique("/ecs/new"));
        assertThat(messages(root.ok("logs", "get-log-events", "--log-group-name", other, "--log-stream-name", "s")
                .path("events"))).isEmpty();
    }
}
