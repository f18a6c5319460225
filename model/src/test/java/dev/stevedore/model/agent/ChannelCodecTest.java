package dev.stevedore.model.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The channel's messages as either end writes and reads them. The mapper here has only what the
 * codec asks of any mapper (unknown members ignored, some form of {@link Instant}); the ECS wire
 * conventions the ends really use are tested where they pass them in.
 */
class ChannelCodecTest {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new SimpleModule("instants")
                    .addSerializer(Instant.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                            gen.writeString(value.toString());
                        }
                    })
                    .addDeserializer(Instant.class, new JsonDeserializer<>() {
                        @Override
                        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                            return Instant.parse(p.getValueAsString());
                        }
                    }))
            .serializationInclusion(JsonInclude.Include.NON_ABSENT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private final ChannelCodec codec = new ChannelCodec(JSON);

    @Test
    void desiredTasksAreNamedByTheirTypeFirstAndReadBackWhole() throws Exception {
        DesiredTasks desired = new DesiredTasks(AgentChannel.PROTOCOL_VERSION, "arn:i", 42,
                List.of(assignment("arn:a", "RUNNING")));

        String text = codec.encode(desired);
        JsonNode json = JSON.readTree(text);

        assertThat(json.fieldNames().next()).isEqualTo("type");
        assertThat(json.get("type").asText()).isEqualTo("desiredTasks");
        assertThat(json.get("revision").asLong()).isEqualTo(42);
        assertThat(codec.decode(text)).isEqualTo(new ChannelCodec.Inbound.Desired(desired));
    }

    @Test
    void changesAreNamedByTheirOwnTypeAndCarryBothRevisions() throws Exception {
        DesiredTaskChanges changes = new DesiredTaskChanges(AgentChannel.PROTOCOL_VERSION, "arn:i", 42, 45,
                List.of(assignment("arn:a", "STOPPED")), List.of("arn:gone"));

        String text = codec.encode(changes);
        JsonNode json = JSON.readTree(text);

        assertThat(json.get("type").asText()).isEqualTo("desiredTaskChanges");
        assertThat(json.get("baseRevision").asLong()).isEqualTo(42);
        assertThat(json.get("revision").asLong()).isEqualTo(45);
        assertThat(json.at("/removedTaskArns/0").asText()).isEqualTo("arn:gone");
        assertThat(codec.decode(text)).isEqualTo(new ChannelCodec.Inbound.Changes(changes));
    }

    @Test
    void aHealthReportIsTypedAndVersionedAndReadBack() throws Exception {
        TaskHealthReport report = TaskHealthReport.of("arn:t", Map.of("web", "UNHEALTHY"));

        String text = codec.encode(report);
        JsonNode json = JSON.readTree(text);

        assertThat(json.get("type").asText()).isEqualTo("taskHealth");
        assertThat(json.get("protocolVersion").asInt()).isEqualTo(AgentChannel.PROTOCOL_VERSION);
        assertThat(json.get("taskArn").asText()).isEqualTo("arn:t");
        assertThat(json.at("/containers/web").asText()).isEqualTo("UNHEALTHY");
        assertThat(codec.decode(text)).isEqualTo(new ChannelCodec.Inbound.Health(report));
    }

    @Test
    void aStatsReportIsTypedAndVersionedAndReadBack() throws Exception {
        TaskStatsReport report = TaskStatsReport.of(List.of(new TaskStatsReport.TaskUsage("arn:t", 0.25, 4_194_304)));

        String text = codec.encode(report);
        JsonNode json = JSON.readTree(text);

        assertThat(json.get("type").asText()).isEqualTo("taskStats");
        assertThat(json.get("protocolVersion").asInt()).isEqualTo(AgentChannel.PROTOCOL_VERSION);
        assertThat(json.at("/tasks/0/cpuVcpus").asDouble()).isEqualTo(0.25);
        assertThat(json.at("/tasks/0/memoryBytes").asLong()).isEqualTo(4_194_304);
        assertThat(codec.decode(text)).isEqualTo(new ChannelCodec.Inbound.Stats(report));
    }

    @Test
    void aStatsReportWithNegativeUseIsMalformed() {
        String text = "{\"type\":\"taskStats\",\"protocolVersion\":3,\"tasks\":[{\"taskArn\":\"arn:t\","
                + "\"cpuVcpus\":-1,\"memoryBytes\":0}]}";

        assertThat(codec.decode(text)).isInstanceOf(ChannelCodec.Inbound.Malformed.class);
    }

    @Test
    void aLogsRequestAndItsReplyAreTypedAndReadBackWithNanosecondTimes() throws Exception {
        ContainerLogsRequest request = ContainerLogsRequest.of("r-1", "arn:t", "app", 500, 1_765_112_400_123_456_789L);
        ContainerLogsReply reply = ContainerLogsReply.of("r-1", List.of(
                new ContainerLogsReply.LogLine(1_765_112_400_123_456_790L, "stderr", "<b>hello</b>")), true);

        JsonNode asked = JSON.readTree(codec.encode(request));
        JsonNode answered = JSON.readTree(codec.encode(reply));

        assertThat(asked.get("type").asText()).isEqualTo("containerLogsRequest");
        assertThat(asked.get("afterEpochNanos").asLong()).isEqualTo(1_765_112_400_123_456_789L);
        assertThat(answered.get("type").asText()).isEqualTo("containerLogsReply");
        assertThat(answered.at("/lines/0/epochNanos").asLong()).isEqualTo(1_765_112_400_123_456_790L);
        assertThat(codec.decode(codec.encode(request))).isEqualTo(new ChannelCodec.Inbound.LogsRequest(request));
        assertThat(codec.decode(codec.encode(reply))).isEqualTo(new ChannelCodec.Inbound.LogsReply(reply));
    }

    @Test
    void aLogsRequestForMoreThanTheMostLinesIsMalformed() {
        String text = "{\"type\":\"containerLogsRequest\",\"protocolVersion\":3,\"requestId\":\"r\","
                + "\"taskArn\":\"arn:t\",\"containerName\":\"app\",\"tail\":100000,\"afterEpochNanos\":0}";

        assertThat(codec.decode(text)).isInstanceOf(ChannelCodec.Inbound.Malformed.class);
    }

    @Test
    void roleCredentialsTravelWithTheAssignmentAndAnOlderServerThatSendsNoneGivesNone() throws Exception {
        TaskCredentials taskRole = new TaskCredentials("3f1c2a9e-8d7b-4c6a-9e5f-0a1b2c3d4e5f", TaskCredentials.Role.TASK,
                "arn:aws:iam::123456789012:role/app", "ASIAEXAMPLE", "secret", "token",
                Instant.parse("2026-12-07T06:00:00Z"));
        TaskCredentials execution = new TaskCredentials("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", TaskCredentials.Role.EXECUTION,
                "arn:aws:iam::123456789012:role/ecsTaskExecutionRole", "ASIAEXEC", "secret2", "token2",
                Instant.parse("2026-12-07T06:00:00Z"));
        TaskAssignment withRoles = assignment("arn:a", "RUNNING").withCredentials(List.of(taskRole, execution));
        DesiredTasks desired = new DesiredTasks(AgentChannel.PROTOCOL_VERSION, "arn:i", 7, List.of(withRoles));

        String text = codec.encode(desired);

        assertThat(JSON.readTree(text).at("/tasks/0/credentials/0/credentialsId").asText()).isEqualTo(taskRole.credentialsId());
        ChannelCodec.Inbound read = codec.decode(text);
        assertThat(read).isEqualTo(new ChannelCodec.Inbound.Desired(desired));
        TaskAssignment back = ((ChannelCodec.Inbound.Desired) read).desired().tasks().get(0);
        assertThat(back.taskRoleCredentials()).contains(taskRole);
        assertThat(back.executionRoleCredentials()).contains(execution);

        String older = "{\"type\":\"desiredTasks\",\"protocolVersion\":3,\"containerInstanceArn\":\"arn:i\",\"revision\":8,"
                + "\"tasks\":[{\"task\":{\"taskArn\":\"arn:a\"},\"taskDefinition\":{\"family\":\"web\"}}]}";
        TaskAssignment fromOlder = ((ChannelCodec.Inbound.Desired) codec.decode(older)).desired().tasks().get(0);
        assertThat(fromOlder.credentials()).isEmpty();
        assertThat(fromOlder.taskRoleCredentials()).isEmpty();
    }

    @Test
    void aCredentialsRefreshIsTypedAndReadBackWhole() throws Exception {
        TaskCredentials fresh = new TaskCredentials("3f1c2a9e-8d7b-4c6a-9e5f-0a1b2c3d4e5f", TaskCredentials.Role.TASK,
                "arn:aws:iam::123456789012:role/app", "ASIAFRESH", "secret", "token", Instant.parse("2026-12-07T12:00:00Z"));
        TaskCredentialsRefresh refresh = TaskCredentialsRefresh.of("arn:i",
                List.of(new TaskCredentialsRefresh.TaskCredentialsSet("arn:a", List.of(fresh))));

        String text = codec.encode(refresh);

        assertThat(JSON.readTree(text).get("type").asText()).isEqualTo(AgentMessages.TASK_CREDENTIALS);
        assertThat(codec.decode(text)).isEqualTo(new ChannelCodec.Inbound.Credentials(refresh));
    }

    @Test
    void credentialsNeverShowTheirSecretsIdOrTokenWhenPrinted() {
        TaskCredentials c = new TaskCredentials("the-id", TaskCredentials.Role.TASK, "arn:aws:iam::123456789012:role/app",
                "ASIAEXAMPLE", "the-secret", "the-token", Instant.parse("2026-12-07T06:00:00Z"));

        assertThat(c.toString()).contains("ASIAEXAMPLE", "role/app").doesNotContain("the-secret", "the-token", "the-id");
        assertThatThrownBy(() -> assignment("arn:a", "RUNNING").withCredentials(List.of(c, c)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNewerProtocolVersionIsNamedAsSuchBeforeTheMessageIsRead() {
        int newer = AgentChannel.PROTOCOL_VERSION + 1;
        assertThat(codec.decode("{\"type\":\"taskHealth\",\"protocolVersion\":" + newer + "}"))
                .isEqualTo(new ChannelCodec.Inbound.UnsupportedVersion(newer));
        assertThat(codec.decode("{\"type\":\"desiredTasks\",\"protocolVersion\":" + newer + "}"))
                .isEqualTo(new ChannelCodec.Inbound.UnsupportedVersion(newer));
    }

    @Test
    void unknownTypesAreIgnoredAndGarbageIsMalformed() {
        assertThat(codec.decode("{\"type\":\"telemetry\",\"protocolVersion\":1}"))
                .isEqualTo(new ChannelCodec.Inbound.Ignored("telemetry"));
        assertThat(codec.decode("not json")).isInstanceOf(ChannelCodec.Inbound.Malformed.class);
        assertThat(codec.decode("{oops")).isInstanceOf(ChannelCodec.Inbound.Malformed.class);
        assertThat(codec.decode("[1]")).isInstanceOf(ChannelCodec.Inbound.Malformed.class);
        assertThat(codec.decode("{\"type\":\"taskHealth\"}")).isInstanceOf(ChannelCodec.Inbound.Malformed.class);
        assertThat(codec.decode("{\"type\":\"taskHealth\",\"protocolVersion\":1}"))
                .isInstanceOf(ChannelCodec.Inbound.Malformed.class);
    }

    @Test
    void changesReplaceAddAndRemoveTasksOfTheStateTheyFollow() {
        DesiredTasks base = new DesiredTasks(2, "arn:i", 10, List.of(assignment("arn:a", "RUNNING"),
                assignment("arn:b", "RUNNING"), assignment("arn:c", "RUNNING")));

        DesiredTasks after = base.apply(new DesiredTaskChanges(2, "arn:i", 10, 14,
                List.of(assignment("arn:b", "STOPPED"), assignment("arn:d", "RUNNING")), List.of("arn:a")));

        assertThat(after.revision()).isEqualTo(14);
        assertThat(after.containerInstanceArn()).isEqualTo("arn:i");
        assertThat(after.tasks()).extracting(a -> a.task().taskArn() + " " + a.task().desiredStatus())
                .containsExactly("arn:b STOPPED", "arn:c RUNNING", "arn:d RUNNING");
    }

    @Test
    void changesThatDoNotFollowTheStateAreRefused() {
        DesiredTasks base = new DesiredTasks(2, "arn:i", 10, List.of(assignment("arn:a", "RUNNING")));

        assertThatThrownBy(() -> base.apply(new DesiredTaskChanges(2, "arn:i", 9, 14, List.of(),
                List.of("arn:a")))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.apply(new DesiredTaskChanges(2, "arn:other", 10, 14, List.of(),
                List.of("arn:a")))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.apply(new DesiredTaskChanges(2, "arn:i", 10, 10, List.of(),
                List.of("arn:a")))).isInstanceOf(IllegalArgumentException.class);
    }

    private static TaskAssignment assignment(String arn, String desired) {
        return new TaskAssignment(Task.builder().taskArn(arn).desiredStatus(desired).build(),
                TaskDefinition.builder().family("web").build());
    }
}
