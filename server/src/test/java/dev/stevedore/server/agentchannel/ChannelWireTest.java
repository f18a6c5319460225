package dev.stevedore.server.agentchannel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.model.agent.AgentChannel;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The control plane writes the channel in the ECS API's JSON conventions. */
class ChannelWireTest {

    @Test
    void timestampsAreEpochSecondsAndAbsentMembersAreLeftOut() throws Exception {
        Task task = Task.builder().taskArn("arn:aws:ecs:us-east-1:123456789012:task/default/abc")
                .desiredStatus("RUNNING").createdAt(Instant.ofEpochSecond(1_700_000_000)).build();
        DesiredTasks desired = new DesiredTasks(AgentChannel.PROTOCOL_VERSION, "arn:i", 42,
                List.of(new TaskAssignment(task, TaskDefinition.builder().family("web").build())));

        JsonNode json = AwsJson.mapper().readTree(AgentChannelServer.CODEC.encode(desired));

        assertThat(json.at("/tasks/0/task/createdAt").isNumber()).isTrue();
        assertThat(json.at("/tasks/0/task/createdAt").asLong()).isEqualTo(1_700_000_000L);
        assertThat(json.at("/tasks/0/task").has("lastStatus")).isFalse();
        assertThat(AwsJson.mapper().treeToValue(json, DesiredTasks.class)).isEqualTo(desired);
    }
}
