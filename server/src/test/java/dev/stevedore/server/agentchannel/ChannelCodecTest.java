package dev.stevedore.server.agentchannel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.model.agent.AgentChannel;
import dev.stevedore.model.agent.DesiredTaskChanges;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskHealthReport;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelCodecTest {

    @Test
    void desiredTasksAreNamedByTypeAndCarryTimestampsAsEpochSeconds() throws Exception {
        Task task = Task.builder().taskArn("arn:aws:ecs:us-east-1:123456789012:task/default/abc")
                .desiredStatus("RUNNING").createdAt(Instant.ofEpochSecond(1_700_000_000)).build();
        DesiredTasks desired = new DesiredTasks(AgentChannel.PROTOCOL_VERSION, "arn:i", 42,
                List.of(new TaskAssignment(task, TaskDefinition.builder().family("web").build())));

        JsonNode json = AwsJson.mapper().readTree(ChannelCodec.encode(desired));

        assertThat(json.fieldNames().next()).isEqualTo("type");
        assertThat(json.get("type").asText()).isEqualTo("desiredTasks");
        assertThat(json.get("revision").asLong()).isEqualTo(42);
        assertThat(json.at("/tasks/0/task/createdAt").isNumber()).isTrue();
        assertThat(json.at("/tasks/0/task/createdAt").asLong()).isEqualTo(1_700_000_000L);
        assertThat(AwsJson.mapper().treeToValue(json, DesiredTasks.class)).isEqualTo(desired);
    }

    @Test
    void changesAreNamedByTheirOwnTypeAndCarryBothRevisions() throws Exception {
        Task task = Task.builder().taskArn("arn:aws:ecs:us-east-1:123456789012:task/default/abc")
                .desiredStatus("STOPPED").build();
        DesiredTaskChanges changes = new DesiredTaskChanges(AgentChannel.PROTOCOL_VERSION, "arn:i", 42, 45,
                List.of(new TaskAssignment(task, TaskDefinition.builder().family("web").build())),
                List.of("arn:aws:ecs:us-east-1:123456789012:task/default/gone"));

        JsonNode json = AwsJson.mapper().readTree(ChannelCodec.encode(changes));

        assertThat(json.get("type").asText()).isEqualTo("desiredTaskChanges");
        assertThat(json.get("baseRevision").asLong()).isEqualTo(42);
        assertThat(json.get("revision").asLong()).isEqualTo(45);
        assertThat(json.at("/removedTaskArns/0").asText()).endsWith("/gone");
        assertThat(AwsJson.mapper().treeToValue(json, DesiredTaskChanges.class)).isEqualTo(changes);
    }

    @Test
    void readsAHealthReport() throws Exception {
        TaskHealthReport report = TaskHealthReport.of("arn:t", "HEALTHY", Map.of("web", "HEALTHY"));
        String text = AwsJson.mapper().writeValueAsString(report);

        assertThat(ChannelCodec.decode(text)).isEqualTo(new ChannelCodec.Inbound.Health(report));
    }

    @Test
    void aNewerProtocolVersionIsNamedAsSuch() {
        assertThat(ChannelCodec.decode("{\"type\":\"taskHealth\",\"protocolVersion\":99}"))
                .isEqualTo(new ChannelCodec.Inbound.UnsupportedVersion(99));
    }

    @Test
    void unknownTypesAreIgnoredAndGarbageIsMalformed() {
        assertThat(ChannelCodec.decode("{\"type\":\"telemetry\",\"protocolVersion\":1}"))
                .isEqualTo(new ChannelCodec.Inbound.Ignored("telemetry"));
        assertThat(ChannelCodec.decode("not json")).isInstanceOf(ChannelCodec.Inbound.Malformed.class);
        assertThat(ChannelCodec.decode("[1]")).isInstanceOf(ChannelCodec.Inbound.Malformed.class);
        assertThat(ChannelCodec.decode("{\"type\":\"taskHealth\"}")).isInstanceOf(ChannelCodec.Inbound.Malformed.class);
        assertThat(ChannelCodec.decode("{\"type\":\"taskHealth\",\"protocolVersion\":1}"))
                .isInstanceOf(ChannelCodec.Inbound.Malformed.class);
    }
}
