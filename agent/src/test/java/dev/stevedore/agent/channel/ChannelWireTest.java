package dev.stevedore.agent.channel;

import dev.stevedore.model.agent.ChannelCodec;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent reads the channel in the ECS API's JSON conventions, as the control plane writes it. */
class ChannelWireTest {
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
        var message = (ChannelCodec.Inbound.Desired) AgentChannelClient.CODEC.decode(DESIRED);

        assertThat(message.desired().revision()).isEqualTo(12);
        assertThat(message.desired().tasks()).hasSize(1);
        assertThat(message.desired().tasks().getFirst().task().createdAt())
                .isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 500_000_000));
        assertThat(message.desired().tasks().getFirst().taskDefinition().containerDefinitions().getFirst().image())
                .isEqualTo("busybox");
    }

    @Test
    void readsTaskRoleCredentialsWithAnEpochSecondExpiration() {
        String withRole = DESIRED.replace("\"taskDefinition\":", """
                "credentials": [{"credentialsId": "5c0b6d7e-0f6a-4d35-9a57-2f7e8a1b3c4d", "role": "TASK",
                                 "roleArn": "arn:aws:iam::123456789012:role/app", "accessKeyId": "ASIAEXAMPLE",
                                 "secretAccessKey": "s", "sessionToken": "t", "expiration": 1700003600}],
                "taskDefinition":""");

        var message = (ChannelCodec.Inbound.Desired) AgentChannelClient.CODEC.decode(withRole);

        assertThat(message.desired().tasks().getFirst().taskRoleCredentials()).hasValueSatisfying(c -> {
            assertThat(c.credentialsId()).isEqualTo("5c0b6d7e-0f6a-4d35-9a57-2f7e8a1b3c4d");
            assertThat(c.expiration()).isEqualTo(Instant.ofEpochSecond(1_700_003_600L));
        });
        assertThat(message.desired().tasks().getFirst().executionRoleCredentials()).isEmpty();
    }
}
