package dev.stevedore.agent.channel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.model.agent.TaskHealthReport;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelMessagesTest {
    static final String DESIRED = """
            {"type": "desiredTasks", "protocolVersion": 1,
             "containerInstanceArn": "arn:aws:ecs:us-east-1:123456789012:container-instance/default/abc",
             "revision": 12,
             "tasks": [{"task": {"taskArn": "arn:aws:ecs:us-east-1:123456789012:task/default/t1",
                                 "desiredStatus": "RUNNING", "createdAt": 1700000000.5},
                        "taskDefinition": {"family": "web", "revision": 3,
                                           "containerDefinitions": [{"name": "web", "image": "busybox"}]}}]}
            """;

    @Test
    void readsTheDesiredTasksWithEpochSecondTimestamps() {
        var message = (ChannelMessages.FromServer.Desired) ChannelMessages.decode(DESIRED);

        assertThat(message.desired().revision()).isEqualTo(12);
        assertThat(message.desired().tasks()).hasSize(1);
        assertThat(message.desired().tasks().getFirst().task().createdAt())
                .isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 500_000_000));
        assertThat(message.desired().tasks().getFirst().taskDefinition().containerDefinitions().getFirst().image())
                .isEqualTo("busybox");
    }

    @Test
    void aNewerServerIsRecognisedAndUnknownTypesAreIgnored() {
        assertThat(ChannelMessages.decode("{\"type\":\"desiredTasks\",\"protocolVersion\":2}"))
                .isEqualTo(new ChannelMessages.FromServer.UnsupportedVersion(2));
        assertThat(ChannelMessages.decode("{\"type\":\"credentials\",\"protocolVersion\":1}"))
                .isEqualTo(new ChannelMessages.FromServer.Ignored("credentials"));
        assertThat(ChannelMessages.decode("{oops")).isInstanceOf(ChannelMessages.FromServer.Malformed.class);
    }

    @Test
    void aHealthReportIsTypedAndVersioned() throws Exception {
        JsonNode json = AwsJson.mapper().readTree(ChannelMessages.encode(
                TaskHealthReport.of("arn:t", "UNHEALTHY", Map.of("web", "UNHEALTHY"))));

        assertThat(json.get("type").asText()).isEqualTo("taskHealth");
        assertThat(json.get("protocolVersion").asInt()).isEqualTo(1);
        assertThat(json.get("taskArn").asText()).isEqualTo("arn:t");
        assertThat(json.at("/containers/web").asText()).isEqualTo("UNHEALTHY");
    }
}
