package dev.stevedore.agent.credentials;

import dev.stevedore.agent.api.InstanceCredentials;
import dev.stevedore.agent.api.InstanceCredentialsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An agent's start with a join token, or with what it kept, against a fake of the control plane's side. */
class AgentJoinTest {
    private static final String TOKEN = "sjt-0123456789abcdef";

    @TempDir
    Path dataDir;
    private FakeCredentialsServer server;
    private InstanceCredentialsClient client;

    @BeforeEach
    void start() throws IOException {
        server = new FakeCredentialsServer();
        server.token(TOKEN, "web");
        client = InstanceCredentialsClient.create(server.endpoint(), "us-east-1", Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void aTokenIsExchangedOnceForInstanceRoleCredentialsKeptOwnerOnly() throws Exception {
        InstanceCredentialsFile.Kept kept = join(Clock.systemUTC()).atStart(Optional.of(TOKEN)).orElseThrow();

        InstanceCredentials credentials = kept.credentials();
        assertThat(credentials.credentials().accessKeyId()).startsWith("ASIA");
        assertThat(credentials.credentials().sessionToken()).isPresent();
        assertThat(credentials.roleArn()).isEqualTo(FakeCredentialsServer.ROLE_ARN);
        assertThat(credentials.cluster()).contains("web");
        assertThat(credentials.expiration()).isAfter(Instant.now());
        assertThat(server.joinRequests).containsExactly("application/json {\"joinToken\":\"" + TOKEN + "\"}");

        Path file = dataDir.resolve(InstanceCredentialsFile.NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String content = Files.readString(file);
        assertThat(content).contains(credentials.credentials().accessKeyId()).doesNotContain(TOKEN);
        assertThat(Files.list(dataDir)).containsExactly(file);
    }

    @Test
    void aRestartWithinTheirLifetimeNeedsNoToken() throws Exception {
        InstanceCredentials first = join(Clock.systemUTC()).atStart(Optional.of(TOKEN)).orElseThrow().credentials();

        InstanceCredentials withoutToken = join(Clock.systemUTC()).atStart(Optional.empty()).orElseThrow().credentials();
        InstanceCredentials sameCommandLine = join(Clock.systemUTC()).atStart(Optional.of(TOKEN)).orElseThrow()
                .credentials();

        assertThat(withoutToken).isEqualTo(first);
        assertThat(sameCommandLine).isEqualTo(first);
        assertThat(server.joins).hasValue(1);
    }

    @Test
    void aRestartAfterTheyExpiredNeedsANewToken() throws Exception {
        InstanceCredentials first = join(Clock.systemUTC()).atStart(Optional.of(TOKEN)).orElseThrow().credentials();
        Clock later = Clock.fixed(first.expiration().plusSeconds(1), ZoneOffset.UTC);

        assertThatThrownBy(() -> join(later).atStart(Optional.empty()))
                .isInstanceOf(JoinException.class)
                .hasMessageContaining("expired at " + first.expiration())
                .hasMessageContaining("needs a new join token");
        assertThatThrownBy(() -> join(later).atStart(Optional.of(TOKEN)))
                .isInstanceOf(JoinException.class)
                .hasMessageContaining("The join token was already used.")
                .hasMessageContaining("needs a new one");

        server.token("sjt-second", "web");
        server.lifetime = Duration.ofHours(2);
        InstanceCredentials second = join(later).atStart(Optional.of("sjt-second")).orElseThrow().credentials();
        assertThat(second.credentials().accessKeyId()).isNotEqualTo(first.credentials().accessKeyId());
        assertThat(join(later).atStart(Optional.empty()).orElseThrow().credentials()).isEqualTo(second);
    }

    @Test
    void aRefusedTokenIsRefusedWithTheControlPlanesWords() {
        server.token("sjt-revoked", "");
        server.setState("sjt-revoked", FakeCredentialsServer.TokenState.REVOKED);
        server.token("sjt-expired", "");
        server.setState("sjt-expired", FakeCredentialsServer.TokenState.EXPIRED);

        assertThatThrownBy(() -> join(Clock.systemUTC()).atStart(Optional.of("sjt-revoked")))
                .isInstanceOf(JoinException.class)
                .hasMessage("the control plane refused the join token: The join token was revoked. "
                        + "(AccessDeniedException, HTTP 403)");
        assertThatThrownBy(() -> join(Clock.systemUTC()).atStart(Optional.of("sjt-expired")))
                .hasMessageContaining("The join token has expired.");
        assertThatThrownBy(() -> join(Clock.systemUTC()).atStart(Optional.of("sjt-unknown")))
                .hasMessageContaining("The join token is not valid.");
        assertThat(dataDir.resolve(InstanceCredentialsFile.NAME)).doesNotExist();
    }

    @Test
    void aTokenIsTakenOnlyOnce() throws Exception {
        join(Clock.systemUTC()).atStart(Optional.of(TOKEN));

        assertThatThrownBy(() -> new AgentJoin(InstanceCredentialsFile.in(dataDir.resolve("other-agent")), client,
                Clock.systemUTC()).atStart(Optional.of(TOKEN)))
                .isInstanceOf(JoinException.class)
                .hasMessageContaining("The join token was already used.");
    }

    @Test
    void withoutATokenAnAgentThatNeverJoinedUsesItsEnvironmentsKeys() throws Exception {
        assertThat(join(Clock.systemUTC()).atStart(Optional.empty())).isEmpty();
        assertThat(server.joinRequests).isEmpty();
    }

    @Test
    void anUnreadableKeptFileIsAClearError() throws Exception {
        Files.writeString(dataDir.resolve(InstanceCredentialsFile.NAME), "{\"accessKeyId\":");

        assertThatThrownBy(() -> join(Clock.systemUTC()).atStart(Optional.empty()))
                .isInstanceOf(JoinException.class)
                .hasMessageContaining("cannot be read")
                .hasMessageContaining("new join token");
    }

    @Test
    void theClusterTheTokenNamesIsJoined() {
        InstanceCredentials forWeb = credentialsFor(Optional.of("web"));
        InstanceCredentials forNone = credentialsFor(Optional.empty());

        assertThat(AgentJoin.clusterToJoin(forWeb, Optional.empty(), "default")).isEqualTo("web");
        assertThat(AgentJoin.clusterToJoin(forWeb, Optional.of("web"), "default")).isEqualTo("web");
        assertThat(AgentJoin.clusterToJoin(forNone, Optional.of("batch"), "default")).isEqualTo("batch");
        assertThat(AgentJoin.clusterToJoin(forNone, Optional.empty(), "default")).isEqualTo("default");
        assertThatThrownBy(() -> AgentJoin.clusterToJoin(forWeb, Optional.of("batch"), "default"))
                .isInstanceOf(JoinException.class)
                .hasMessage("this agent's join token is for cluster web, not batch: start it without --cluster "
                        + "(or with --cluster web)");
    }

    private AgentJoin join(Clock clock) {
        return new AgentJoin(InstanceCredentialsFile.in(dataDir), client, clock);
    }

    private static InstanceCredentials credentialsFor(Optional<String> cluster) {
        Instant now = Instant.now();
        return new InstanceCredentials(new dev.stevedore.agent.api.AgentCredentials("ASIAX", "secret",
                Optional.of("token")), now.plus(Duration.ofHours(1)), FakeCredentialsServer.ROLE_ARN, cluster, now);
    }
}
