package dev.stevedore.agent.channel;

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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void readsChanges() {
        var message = (ChannelMessages.FromServer.Changes) ChannelMessages.decode("""
                {"type": "desiredTaskChanges", "protocolVersion": 2, "containerInstanceArn": "arn:i",
                 "baseRevision": 12, "revision": 15,
                 "tasks": [{"task": {"taskArn": "arn:t2", "desiredStatus": "RUNNING"}, "taskDefinition": {"family": "web"}}],
                 "removedTaskArns": ["arn:t1"]}
                """);

        assertThat(message.changes().baseRevision()).isEqualTo(12);
        assertThat(message.changes().revision()).isEqualTo(15);
        assertThat(message.changes().tasks()).extracting(a -> a.task().taskArn()).containsExactly("arn:t2");
        assertThat(message.changes().removedTaskArns()).containsExactly("arn:t1");
    }

    @Test
    void changesReplaceAddAndRemoveTasksOfTheStateTheyFollow() {
        DesiredTasks base = new DesiredTasks(2, "arn:i", 10, List.of(assignment("arn:a", "RUNNING"),
                assignment("arn:b", "RUNNING"), assignment("arn:c", "RUNNING")));

        DesiredTasks after = ChannelMessages.apply(base, new DesiredTaskChanges(2, "arn:i", 10, 14,
                List.of(assignment("arn:b", "STOPPED"), assignment("arn:d", "RUNNING")), List.of("arn:a")));

        assertThat(after.revision()).isEqualTo(14);
        assertThat(after.containerInstanceArn()).isEqualTo("arn:i");
        assertThat(after.tasks()).extracting(a -> a.task().taskArn() + " " + a.task().desiredStatus())
                .containsExactly("arn:b STOPPED", "arn:c RUNNING", "arn:d RUNNING");
    }

    @Test
    void changesThatDoNotFollowTheStateAreRefused() {
        DesiredTasks base = new DesiredTasks(2, "arn:i", 10, List.of(assignment("arn:a", "RUNNING")));

        assertThatThrownBy(() -> ChannelMessages.apply(base, new DesiredTaskChanges(2, "arn:i", 9, 14, List.of(),
                List.of("arn:a")))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChannelMessages.apply(base, new DesiredTaskChanges(2, "arn:other", 10, 14, List.of(),
                List.of("arn:a")))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChannelMessages.apply(base, new DesiredTaskChanges(2, "arn:i", 10, 10, List.of(),
                List.of("arn:a")))).isInstanceOf(IllegalArgumentException.class);
    }

    private static TaskAssignment assignment(String arn, String desired) {
        return new TaskAssignment(Task.builder().taskArn(arn).desiredStatus(desired).build(),
                TaskDefinition.builder().family("web").build());
    }

    @Test
    void aNewerServerIsRecognisedAndUnknownTypesAreIgnored() {
        assertThat(ChannelMessages.decode("{\"type\":\"desiredTasks\",\"protocolVersion\":3}"))
                .isEqualTo(new ChannelMessages.FromServer.UnsupportedVersion(3));
        assertThat(ChannelMessages.decode("{\"type\":\"credentials\",\"protocolVersion\":1}"))
                .isEqualTo(new ChannelMessages.FromServer.Ignored("credentials"));
        assertThat(ChannelMessages.decode("{oops")).isInstanceOf(ChannelMessages.FromServer.Malformed.class);
    }

    @Test
    void aHealthReportIsTypedAndVersioned() throws Exception {
        JsonNode json = AwsJson.mapper().readTree(ChannelMessages.encode(
                TaskHealthReport.of("arn:t", "UNHEALTHY", Map.of("web", "UNHEALTHY"))));

        assertThat(json.get("type").asText()).isEqualTo("taskHealth");
        assertThat(json.get("protocolVersion").asInt()).isEqualTo(AgentChannel.PROTOCOL_VERSION);
        assertThat(json.get("taskArn").asText()).isEqualTo("arn:t");
        assertThat(json.at("/containers/web").asText()).isEqualTo("UNHEALTHY");
    }
}
