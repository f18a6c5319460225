package dev.stevedore.server.agentchannel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.control.ecs.EcsApi;
import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;
import dev.stevedore.store.SqliteStateStore;
import dev.stevedore.store.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After a server dies without closing its channels (kill -9), the store still says the agents are
 * connected. The start-up sweep gives them the grace period to reconnect and then clears the flag
 * on the instances whose agents did not.
 */
class PresenceSweepIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dataDir;

    @Test
    void instancesWhoseAgentsDoNotComeBackAreMarkedDisconnectedAfterTheGracePeriod() {
        List<String> instances = leftConnectedByACrashedServer(2);
        try (ChannelFixture fixture = ChannelFixture.start(dataDir,
                ChannelFixture.FAST.withPresenceGrace(Duration.ofSeconds(2)))) {
            // Within the grace period the flag is left alone: the agents may be on their way back.
            assertThat(fixture.agentConnected("default", instances.get(0))).isTrue();
            fixture.connectAgent(instances.get(0));

            await().atMost(WAIT).until(() -> !fixture.agentConnected("default", instances.get(1)));
            assertThat(fixture.agentConnected("default", instances.get(0))).isTrue();
            assertThat(fixture.plane().agentChannel().isConnected(instances.get(0))).isTrue();
        }
    }

    @Test
    void anAgentThatReconnectsAfterTheSweepIsConnectedAgain() {
        String instance = leftConnectedByACrashedServer(1).getFirst();
        try (ChannelFixture fixture = ChannelFixture.start(dataDir,
                ChannelFixture.FAST.withPresenceGrace(Duration.ofMillis(200)))) {
            await().atMost(WAIT).until(() -> !fixture.agentConnected("default", instance));

            fixture.connectAgent(instance);

            await().atMost(WAIT).until(() -> fixture.agentConnected("default", instance));
        }
    }

    /** What a server killed while its agents were connected leaves behind: instances flagged connected. */
    private List<String> leftConnectedByACrashedServer(int count) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (StateStore store = SqliteStateStore.open(dataDir.resolve("state.db"))) {
            EcsApi ecs = new EcsApi(store, Clock.systemUTC(), () -> "http://127.0.0.1:1");
            call(ecs, "CreateCluster", "{\"clusterName\": \"default\"}");
            return IntStream.range(0, count).mapToObj(i -> {
                String arn = call(ecs, "RegisterContainerInstance", """
                        {"cluster": "default", "totalResources": [
                          {"name": "CPU", "type": "INTEGER", "integerValue": 1024},
                          {"name": "MEMORY", "type": "INTEGER", "integerValue": 1024},
                          {"name": "PORTS", "type": "STRINGSET", "stringSetValue": ["22"]},
                          {"name": "PORTS_UDP", "type": "STRINGSET", "stringSetValue": []}]}
                        """).at("/containerInstance/containerInstanceArn").asText();
                ecs.agentStates().setConnected(InstanceRef.parse(arn).orElseThrow(), true);
                return arn;
            }).toList();
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode call(EcsApi ecs, String operation, String json) {
        try {
            ObjectNode input = (ObjectNode) AwsJson.mapper().readTree(json);
            CallContext ctx = new CallContext(UUID.randomUUID().toString(), new Principal(ChannelFixture.ACCOUNT,
                    ChannelFixture.ACCESS_KEY, "arn:aws:iam::" + ChannelFixture.ACCOUNT + ":root"), operation,
                    ChannelFixture.REGION);
            return AwsJson.mapper().valueToTree(ecs.operations().get(operation).handle(ctx, input));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
