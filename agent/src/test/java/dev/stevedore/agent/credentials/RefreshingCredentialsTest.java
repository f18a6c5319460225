package dev.stevedore.agent.credentials;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.api.EcsApiClient;
import dev.stevedore.agent.api.InstanceCredentials;
import dev.stevedore.agent.api.InstanceCredentialsClient;
import dev.stevedore.agent.channel.ChannelUrlSigner;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A joined agent's credentials refreshed in the background, against a fake of the control plane
 * that issues short-lived keys and verifies every signature with awsproto's verifier.
 */
class RefreshingCredentialsTest {
    private static final String TOKEN = "sjt-refresh";
    private static final Duration SHORT = Duration.ofSeconds(4);
    private static final RefreshSettings FAST_RETRIES = new RefreshSettings(Duration.ofMillis(50),
            Duration.ofMillis(200), Duration.ofHours(1));

    @TempDir
    Path dataDir;
    private FakeCredentialsServer server;
    private InstanceCredentialsClient client;
    private AgentJoin join;
    private RefreshingCredentials refreshing;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void start() throws IOException {
        server = new FakeCredentialsServer();
        server.token(TOKEN, "");
        server.lifetime = SHORT;
        client = InstanceCredentialsClient.create(server.endpoint(), "us-east-1", Clock.systemUTC());
        join = new AgentJoin(InstanceCredentialsFile.in(dataDir), client, Clock.systemUTC());
        log.start();
        ((Logger) LoggerFactory.getLogger(RefreshingCredentials.class)).addAppender(log);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(RefreshingCredentials.class)).detachAppender(log);
        if (refreshing != null) {
            refreshing.close();
        }
        client.close();
        server.close();
    }

    @Test
    void theyAreReplacedBeforeTheyExpireAndTheNewOnesAreKept() throws Exception {
        InstanceCredentialsFile.Kept joined = joinAndRefresh(RefreshSettings.defaults());
        String first = joined.credentials().credentials().accessKeyId();

        await().atMost(Duration.ofSeconds(20)).until(() -> !refreshing.current().accessKeyId().equals(first));

        InstanceCredentials fresh = refreshing.held();
        assertThat(fresh.expiration()).isAfter(joined.credentials().expiration());
        // Asked with the keys it held, before they ended (the fake refuses expired keys).
        assertThat(server.refreshSigners.getFirst()).isEqualTo(first);
        assertThat(server.signatureRefusals).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> InstanceCredentialsFile.in(dataDir).read().orElseThrow()
                .credentials().credentials().accessKeyId().equals(fresh.credentials().accessKeyId()));
        assertThat(InstanceCredentialsFile.in(dataDir).read().orElseThrow().joinTokenDigest())
                .isEqualTo(joined.joinTokenDigest());
    }

    @Test
    void everySigningUsesTheNewestCredentials() throws Exception {
        InstanceCredentialsFile.Kept joined = joinAndRefresh(RefreshSettings.defaults());
        String first = joined.credentials().credentials().accessKeyId();
        ChannelUrlSigner channel = new ChannelUrlSigner(refreshing, "us-east-1", Duration.ofMinutes(1),
                Clock.systemUTC());
        URI arn = URI.create("arn:aws:ecs:us-east-1:123456789012:container-instance/default/abc");

        try (EcsApiClient api = EcsApiClient.create(server.endpoint(), "us-east-1", refreshing)) {
            report(api);
            String before = server.verifyPresigned(channel.sign(server.endpoint(), arn.toString()));
            await().atMost(Duration.ofSeconds(20)).until(() -> !refreshing.current().accessKeyId().equals(first));
            String newest = refreshing.current().accessKeyId();
            report(api);
            String after = server.verifyPresigned(channel.sign(server.endpoint(), arn.toString()));

            assertThat(server.ecsSigners).containsExactly(first, newest);
            assertThat(List.of(before, after)).containsExactly(first, newest);
        }
        assertThat(server.signatureRefusals).isEmpty();
    }

    @Test
    void aRefreshThatGetsNoAnswerIsTriedAgain() throws Exception {
        server.failingRefreshes.set(3);
        InstanceCredentialsFile.Kept joined = joinAndRefresh(FAST_RETRIES);
        String first = joined.credentials().credentials().accessKeyId();

        await().atMost(Duration.ofSeconds(20)).until(() -> !refreshing.current().accessKeyId().equals(first));

        assertThat(server.refreshes.get()).isGreaterThanOrEqualTo(4);
        assertThat(server.refreshSigners.subList(0, 4)).containsOnly(first);
        assertThat(messages(Level.WARN)).anyMatch(m -> m.contains("cannot refresh the instance credentials"));
    }

    @Test
    void aRefusedRefreshIsLoggedAndTheHeldKeysStayUntilTheyEnd() throws Exception {
        InstanceCredentialsFile.Kept joined = joinAndRefresh(FAST_RETRIES);
        server.setState(TOKEN, FakeCredentialsServer.TokenState.REVOKED);

        await().atMost(Duration.ofSeconds(20)).until(() -> !messages(Level.ERROR).isEmpty());

        assertThat(messages(Level.ERROR)).singleElement().asString()
                .contains("the control plane refused to refresh the instance credentials: "
                        + "The join token of this instance was revoked. (AccessDeniedException, HTTP 403)")
                .contains("The current ones end at " + joined.credentials().expiration())
                .contains("asking again in 3600 s");
        assertThat(refreshing.current()).isEqualTo(joined.credentials().credentials());
        assertThat(server.refreshes).hasValue(1);
    }

    @Test
    void keysThatRanOutAreSaidToNeedANewToken() throws Exception {
        server.lifetime = Duration.ofSeconds(2);
        InstanceCredentialsFile.Kept joined = join.atStart(Optional.of(TOKEN)).orElseThrow();
        server.setState(TOKEN, FakeCredentialsServer.TokenState.REVOKED);
        refreshing = join.keepRefreshed(joined, new RefreshSettings(Duration.ofMillis(50), Duration.ofMillis(200),
                Duration.ofMillis(1500)));

        await().atMost(Duration.ofSeconds(20)).until(() -> messages(Level.ERROR).size() >= 2);

        assertThat(messages(Level.ERROR).get(1))
                .contains("the instance credentials " + joined.credentials().credentials().accessKeyId()
                        + " expired at " + joined.credentials().expiration())
                .contains("new join token");
    }

    @Test
    void signingNeverWaitsForARefreshUnderWay() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        server.refreshGate = gate;
        InstanceCredentialsFile.Kept joined = joinAndRefresh(RefreshSettings.defaults());

        // The refresh is past half the lifetime and held at the fake's gate.
        await().atMost(Duration.ofSeconds(20)).until(() -> server.refreshArrived.getCount() == 0);
        AgentCredentials during = assertTimeoutPreemptively(Duration.ofSeconds(5), refreshing::current);
        gate.countDown();

        assertThat(during).isEqualTo(joined.credentials().credentials());
        await().atMost(Duration.ofSeconds(20)).until(() -> !refreshing.current().equals(during));
    }

    private InstanceCredentialsFile.Kept joinAndRefresh(RefreshSettings settings) throws InterruptedException {
        InstanceCredentialsFile.Kept joined = join.atStart(Optional.of(TOKEN)).orElseThrow();
        refreshing = join.keepRefreshed(joined, settings);
        return joined;
    }

    private static void report(EcsApiClient api) {
        api.submitTaskStateChange(SubmitTaskStateChangeRequest.builder().task("arn:t").status("RUNNING").build());
    }

    private List<String> messages(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
