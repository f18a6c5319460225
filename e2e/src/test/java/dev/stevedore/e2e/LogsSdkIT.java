package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * CloudWatch Logs through the unmodified AWS SDK v2 client: paginators over groups, streams and
 * filtered events, backward reading, a batch at the size limit, tags by ARN, and the errors AWS gives.
 */
class LogsSdkIT {
    static InProcessStevedore stevedore;
    static CloudWatchLogsClient logs;

    @BeforeAll
    static void start() {
        stevedore = InProcessStevedore.start();
        logs = CloudWatchLogsClient.builder()
                .endpointOverride(stevedore.endpoint())
                .region(Region.of(InProcessStevedore.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        InProcessStevedore.ACCESS_KEY, InProcessStevedore.SECRET_KEY)))
                .build();
    }

    @AfterAll
    static void stop() {
        logs.close();
        stevedore.close();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<InputLogEvent> events(long from, int count, String prefix) {
        return IntStream.range(0, count)
                .mapToObj(i -> InputLogEvent.builder().timestamp(from + i).message(prefix + i).build()).toList();
    }

    @Test
    void paginatorsWalkGroupsStreamsAndFilteredEventsPageByPage() {
        String prefix = unique("/sdk/pages");
        for (int i = 0; i < 5; i++) {
            String name = prefix + "/g" + i;
            logs.createLogGroup(b -> b.logGroupName(name));
        }
        List<String> groups = logs.describeLogGroupsPaginator(b -> b.logGroupNamePrefix(prefix).limit(2))
                .logGroups().stream().map(LogGroup::logGroupName).toList();
        assertThat(groups).containsExactly(prefix + "/g0", prefix + "/g1", prefix + "/g2", prefix + "/g3", prefix + "/g4");

        String group = prefix + "/g0";
        long now = System.currentTimeMillis();
        for (String stream : List.of("c", "a", "b")) {
            logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
        }
        // Last events: a oldest, then c, then b newest.
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName("a").logEvents(events(now - 300, 1, "a")));
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName("c").logEvents(events(now - 200, 1, "c")));
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName("b").logEvents(events(now - 100, 1, "b")));
        assertThat(logs.describeLogStreamsPaginator(b -> b.logGroupName(group).limit(1)).logStreams().stream()
                .map(LogStream::logStreamName).toList()).containsExactly("a", "b", "c");
        assertThat(logs.describeLogStreamsPaginator(b -> b.logGroupName(group).orderBy(OrderBy.LAST_EVENT_TIME)
                        .descending(true).limit(2)).logStreams().stream().map(LogStream::logStreamName).toList())
                .containsExactly("b", "c", "a");
        assertThatThrownBy(() -> logs.describeLogStreams(b -> b.logGroupName(group).logStreamNamePrefix("a")
                .orderBy(OrderBy.LAST_EVENT_TIME)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Cannot order by LastEventTime with a logStreamNamePrefix.");

        logs.putLogEvents(b -> b.logGroupName(group).logStreamName("a").logEvents(events(now, 25, "line ")));
        List<String> found = new ArrayList<>();
        logs.filterLogEventsPaginator(b -> b.logGroupName(group).logStreamNames("a").filterPattern("line").limit(4))
                .events().forEach(event -> found.add(event.message()));
        assertThat(found).containsExactlyElementsOf(IntStream.range(0, 25).mapToObj(i -> "line " + i).toList());
    }

    @Test
    void getLogEventsReadsTheNewestPageAndGoesBackwardWithItsToken() {
        String group = unique("/sdk/backward");
        logs.createLogGroup(b -> b.logGroupName(group));
        logs.createLogStream(b -> b.logGroupName(group).logStreamName("s"));
        long now = System.currentTimeMillis() - 60_000;
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s").logEvents(events(now, 30, "e")));

        GetLogEventsResponse newest = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s").limit(10));
        assertThat(newest.events().stream().map(OutputLogEvent::message).toList())
                .containsExactlyElementsOf(IntStream.range(20, 30).mapToObj(i -> "e" + i).toList());
        GetLogEventsResponse before = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s").limit(10)
                .nextToken(newest.nextBackwardToken()));
        assertThat(before.events().stream().map(OutputLogEvent::message).toList())
                .containsExactlyElementsOf(IntStream.range(10, 20).mapToObj(i -> "e" + i).toList());
        GetLogEventsResponse window = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s")
                .startTime(now + 5).endTime(now + 8).startFromHead(true));
        assertThat(window.events().stream().map(OutputLogEvent::message).toList()).containsExactly("e5", "e6", "e7");
    }

    @Test
    void aBatchAtTheSizeLimitIsTakenAndOneByteMoreIsRefused() {
        String group = unique("/sdk/limit");
        logs.createLogGroup(b -> b.logGroupName(group));
        logs.createLogStream(b -> b.logGroupName(group).logStreamName("s"));
        long now = System.currentTimeMillis();
        // 4,096 events of 230 bytes count 4,096 x (230 + 26) = 1,048,576 bytes: exactly the limit.
        String message = "x".repeat(230);
        List<InputLogEvent> full = IntStream.range(0, 4096)
                .mapToObj(i -> InputLogEvent.builder().timestamp(now).message(message).build()).toList();
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s").logEvents(full));
        assertThat(logs.describeLogStreams(b -> b.logGroupName(group)).logStreams().getFirst().storedBytes())
                .isEqualTo(4096L * 230);

        List<InputLogEvent> over = new ArrayList<>(full);
        over.set(0, InputLogEvent.builder().timestamp(now).message(message + "y").build());
        assertThatThrownBy(() -> logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s").logEvents(over)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("1048577 bytes exceeds limit of 1048576");
    }

    @Test
    void tagsByArnAndTheErrorsOfMissingGroupsAndStreams() {
        String group = unique("/sdk/tags");
        logs.createLogGroup(b -> b.logGroupName(group).tags(Map.of("team", "red")));
        String arn = logs.describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups().getFirst().logGroupArn();
        assertThat(arn).isEqualTo("arn:aws:logs:us-east-1:" + InProcessStevedore.ACCOUNT + ":log-group:" + group);
        logs.tagResource(b -> b.resourceArn(arn).tags(Map.of("env", "dev")));
        logs.untagResource(b -> b.resourceArn(arn).tagKeys("team"));
        assertThat(logs.listTagsForResource(b -> b.resourceArn(arn)).tags()).isEqualTo(Map.of("env", "dev"));

        assertThatThrownBy(() -> logs.deleteLogStream(b -> b.logGroupName(group).logStreamName("none")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("The specified log stream does not exist.");
        logs.deleteLogGroup(b -> b.logGroupName(group));
        assertThatThrownBy(() -> logs.deleteLogGroup(b -> b.logGroupName(group)))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("The specified log group does not exist.");
    }
}
