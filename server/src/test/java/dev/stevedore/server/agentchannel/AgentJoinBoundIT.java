package dev.stevedore.server.agentchannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stevedore.agent.channel.AgentChannelClient;
import dev.stevedore.server.agentchannel.ChannelFixture.RecordingEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bound on agents joining at once: with room for one, agents dialling together are refused with
 * 503 and come back after their back-off until every one has joined, and a handshake refused for a
 * bad signature gives its place back (were a place kept, every later agent would wait for ever).
 */
class AgentJoinBoundIT {
    private static final int AGENTS = 20;

    @TempDir
    Path dataDir;

    @Test
    void agentsDiallingTogetherAllJoinThroughABoundOfOneAndRefusedHandshakesKeepNoPlace() throws Exception {
        try (ChannelFixture fixture = ChannelFixture.start(dataDir, ChannelFixture.FAST.withMaxJoining(1))) {
            List<String> instances = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                instances.add(fixture.registerInstance("default"));
            }
            // Dials again and again with a wrong secret, refused 403 each time, while the others join.
            try (AgentChannelClient forged = new AgentChannelClient(instances.getFirst(), fixture::endpoint,
                    fixture.signer("not/the/secret"), desired -> { }, ChannelFixture.FAST_CLIENT).start()) {
                List<RecordingEngine> engines = instances.stream().skip(1).map(fixture::connectAgent).toList();

                await().atMost(Duration.ofSeconds(60)).until(() -> engines.stream().allMatch(e -> e.latest() != null));
                assertThat(instances.stream().skip(1).filter(a -> fixture.plane().agentChannel().isConnected(a)))
                        .hasSize(AGENTS - 1);
                assertThat(fixture.plane().agentChannel().isConnected(instances.getFirst())).isFalse();
                System.out.printf("AgentJoinBoundIT: %d agents joined through a bound of one; %d handshakes "
                        + "refused with 503 meanwhile%n", AGENTS - 1, fixture.plane().agentChannel().refusedJoins());
            }
        }
    }
}
