package dev.stevedore.agent.channel;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.model.agent.AgentChannel;
import dev.stevedore.model.agent.AgentMessages;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.TaskHealthReport;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/** The agent's channel client against a scripted WebSocket server. */
class AgentChannelClientTest {
    private static final String ARN = "arn:aws:ecs:us-east-1:123456789012:container-instance/default/abc";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ChannelClientSettings QUICK = ChannelClientSettings.defaults()
            .withBackoff(Duration.ofMillis(20), Duration.ofMillis(100))
            .withIdleTimeout(Duration.ofMillis(600));

    private final List<DesiredTasks> applied = new CopyOnWriteArrayList<>();

    @Test
    void appliesWhatTheServerSendsAndReconnectsWhenItFallsSilent() throws Exception {
        try (FakeChannelServer server = new FakeChannelServer(attempt -> 101, (c, attempt) -> {
            c.sendText(desired(ARN, attempt));
            Thread.sleep(5_000); // then not a word, not even a ping
        }); AgentChannelClient client = client(server::endpoint)) {

            await().atMost(WAIT).until(() -> server.attempts() >= 2 && applied.size() >= 2);
            assertThat(applied.get(0).revision()).isEqualTo(1);
            assertThat(applied.get(1).revision()).isEqualTo(2);
            assertThat(server.requestTargets.getFirst()).startsWith("GET /agent/v1/connect?")
                    .contains("containerInstance=arn%3Aaws%3Aecs", "X-Amz-Signature=");
        }
    }

    @Test
    void closingReturnsWhileAHandshakeGoesUnanswered() throws Exception {
        CountDownLatch handshakeHeld = new CountDownLatch(1);
        // A server that accepts the connection and reads the upgrade request, then says nothing (one being
        // killed and restarted under the agent): the client's handshake is still pending when it closes.
        try (FakeChannelServer server = new FakeChannelServer(attempt -> {
            handshakeHeld.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 503;
        }, (c, attempt) -> { })) {
            AgentChannelClient client = client(server::endpoint);
            assertThat(handshakeHeld.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertTimeoutPreemptively(Duration.ofSeconds(30), client::close, "close() hung on the pending handshake");
            assertThat(client.isConnected()).isFalse();
        }
    }

    @Test
    void pingsKeepAConnectionAlive() throws Exception {
        try (FakeChannelServer server = new FakeChannelServer(attempt -> 101, (c, attempt) -> {
            c.sendText(desired(ARN, attempt));
            for (int i = 0; i < 20; i++) {
                Thread.sleep(100);
                c.sendPing();
            }
            Thread.sleep(5_000);
        }); AgentChannelClient client = client(server::endpoint)) {

            await().atMost(WAIT).until(() -> applied.size() == 1);
            Thread.sleep(1_500); // longer than the idle timeout, but pinged all along
            assertThat(server.attempts()).isEqualTo(1);
            assertThat(client.isConnected()).isTrue();
        }
    }

    @Test
    void aStateForAnotherInstanceIsNotApplied() throws Exception {
        try (FakeChannelServer server = new FakeChannelServer(attempt -> 101, (c, attempt) -> {
            c.sendText(desired(ARN.replace("/abc", "/xyz"), 5));
            c.sendText(desired(ARN, 6));
            Thread.sleep(5_000);
        }); AgentChannelClient client = client(server::endpoint)) {

            await().atMost(WAIT).until(() -> !applied.isEmpty());
            assertThat(applied).extracting(DesiredTasks::revision).containsExactly(6L);
        }
    }

    @Test
    void refusedHandshakesAndFailedDiscoveryAreRetried() throws Exception {
        AtomicInteger discoveries = new AtomicInteger();
        try (FakeChannelServer server = new FakeChannelServer(attempt -> attempt <= 2 ? 404 : 101,
                (c, attempt) -> {
                    c.sendText(desired(ARN, 9));
                    Thread.sleep(5_000);
                });
             AgentChannelClient client = client(() -> {
                 if (discoveries.incrementAndGet() == 1) {
                     throw new IllegalStateException("control plane not up yet");
                 }
                 return server.endpoint();
             })) {

            await().atMost(WAIT).until(() -> !applied.isEmpty());
            assertThat(server.attempts()).isEqualTo(3);
            assertThat(client.connectionCount()).isEqualTo(1);
            assertThat(discoveries.get()).isEqualTo(4);
        }
    }

    @Test
    void healthReportsAreSentAndSentAgainAfterAReconnect() throws Exception {
        try (FakeChannelServer server = new FakeChannelServer(attempt -> 101, (c, attempt) -> {
            c.sendText(desired(ARN, attempt, "arn:task/1"));
            if (attempt == 1) {
                c.readText(); // the report, then the connection ends
                return;
            }
            c.readText();
            Thread.sleep(5_000);
        }); AgentChannelClient client = client(server::endpoint)) {
            await().atMost(WAIT).until(client::isConnected);

            client.report(TaskHealthReport.of("arn:task/1", Map.of("web", "HEALTHY")));

            await().atMost(WAIT).until(() -> server.received.size() >= 2);
            assertThat(server.received).allSatisfy(text -> assertThat(text).contains("\"taskHealth\"", "arn:task/1"));
        }
    }

    @Test
    void healthOfTasksNoLongerDesiredIsNotResent() throws Exception {
        try (FakeChannelServer server = new FakeChannelServer(attempt -> 101, (c, attempt) -> {
            if (attempt == 1) {
                c.sendText(desired(ARN, 1, "arn:task/1"));
                c.readText();
                c.sendText(desired(ARN, 2)); // the task is gone, then the connection ends
                Thread.sleep(300);
                return;
            }
            c.sendText(desired(ARN, 3));
            Thread.sleep(5_000);
        }); AgentChannelClient client = client(server::endpoint)) {
            await().atMost(WAIT).until(client::isConnected);
            client.report(TaskHealthReport.of("arn:task/1", Map.of("web", "HEALTHY")));

            await().atMost(WAIT).until(() -> server.attempts() >= 2 && applied.stream().anyMatch(d -> d.revision() == 3));
            assertThat(server.received).hasSize(1);
        }
    }

    @Test
    void changesAreFoldedIntoTheStateAndAGapStartsAgainFromAFreshConnection() throws Exception {
        try (FakeChannelServer server = new FakeChannelServer(attempt -> 101, (c, attempt) -> {
            if (attempt == 1) {
                c.sendText(desired(ARN, 10, "arn:task/1"));
                c.sendText(changes(ARN, 10, 12, "arn:task/2", "arn:task/1"));
                c.sendText(changes(ARN, 11, 13, "arn:task/3")); // does not follow 12: something was missed
                Thread.sleep(5_000);
                return;
            }
            c.sendText(desired(ARN, 20, "arn:task/2", "arn:task/3"));
            Thread.sleep(5_000);
        }); AgentChannelClient client = client(server::endpoint)) {

            await().atMost(WAIT).until(() -> applied.stream().anyMatch(d -> d.revision() == 20));
            // The engine may skip a state a newer one superseded before it was applied (10 here).
            assertThat(applied).extracting(DesiredTasks::revision).containsSubsequence(12L, 20L).doesNotContain(13L)
                    .isSorted();
            assertThat(applied.stream().filter(d -> d.revision() == 12).findFirst().orElseThrow().tasks())
                    .extracting(a -> a.task().taskArn()).containsExactly("arn:task/2");
            assertThat(server.attempts()).isEqualTo(2);
        }
    }

    @Test
    void aServerOfANewerProtocolIsToldSoWithTheVersionCloseCode() throws Exception {
        int newer = AgentChannel.PROTOCOL_VERSION + 1;
        try (FakeChannelServer server = new FakeChannelServer(attempt -> 101, (c, attempt) -> {
            c.sendText(desired(ARN, 1).replace("\"protocolVersion\":2", "\"protocolVersion\":" + newer));
            c.readText(); // until the client closes
        }); AgentChannelClient client = client(server::endpoint)) {

            await().atMost(WAIT).until(() -> !server.closeCodes.isEmpty());
            assertThat(server.closeCodes.getFirst()).isEqualTo(AgentMessages.CLOSE_UNSUPPORTED_VERSION);
            assertThat(applied).isEmpty();
        }
    }

    private AgentChannelClient client(Supplier<URI> endpoints) {
        ChannelUrlSigner signer = new ChannelUrlSigner(AgentCredentials.of("AKIAFAKE", "fake/secret"), "us-east-1",
                Duration.ofMinutes(1), Clock.systemUTC());
        return new AgentChannelClient(ARN, endpoints, signer, applied::add, QUICK).start();
    }

    private static String desired(String instance, long revision, String... tasks) {
        return "{\"type\":\"desiredTasks\",\"protocolVersion\":2,\"containerInstanceArn\":\"" + instance
                + "\",\"revision\":" + revision + ",\"tasks\":[" + assignments(tasks) + "]}";
    }

    /** One task added or changed and, optionally, one removed. */
    private static String changes(String instance, long base, long revision, String task, String... removed) {
        String gone = removed.length == 0 ? "" : "\"" + String.join("\",\"", removed) + "\"";
        return "{\"type\":\"desiredTaskChanges\",\"protocolVersion\":2,\"containerInstanceArn\":\"" + instance
                + "\",\"baseRevision\":" + base + ",\"revision\":" + revision + ",\"tasks\":[" + assignments(task)
                + "],\"removedTaskArns\":[" + gone + "]}";
    }

    private static String assignments(String... tasks) {
        StringBuilder list = new StringBuilder();
        for (String task : tasks) {
            list.append(list.isEmpty() ? "" : ",").append("{\"task\":{\"taskArn\":\"").append(task)
                    .append("\",\"desiredStatus\":\"RUNNING\"},\"taskDefinition\":{\"family\":\"f\"}}");
        }
        return list.toString();
    }
}
