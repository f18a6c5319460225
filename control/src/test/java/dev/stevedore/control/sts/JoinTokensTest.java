package dev.stevedore.control.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.awsproto.Principal;
import dev.stevedore.store.InMemoryStateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JoinTokensTest {
    static final String ACCOUNT = "123456789012";
    static final AssumableRole INSTANCE_ROLE = new AssumableRole("arn:aws:iam::" + ACCOUNT + ":role/ecsInstanceRole",
            "AROAINSTANCEROLE00001", "ecsInstanceRole", "{}", Duration.ofHours(1));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T04:00:00Z"));
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final SessionTokens sessions = new SessionTokens(SessionTokensTest.KEY, clock);
    private final JoinTokens tokens = new JoinTokens(store, sessions, new IdentityDirectory() {
        @Override
        public Optional<String> userId(String accountId, String userArn) {
            return Optional.empty();
        }

        @Override
        public Optional<AssumableRole> role(String accountId, String roleArn) {
            return roleArn.equals(INSTANCE_ROLE.arn()) ? Optional.of(INSTANCE_ROLE) : Optional.empty();
        }
    }, clock);

    @AfterEach
    void close() {
        store.close();
    }

    private Principal principalOf(AgentSession session) {
        return sessions.find(session.credentials().accessKeyId(), Optional.of(session.credentials().sessionToken()))
                .orElseThrow().principal();
    }

    @Test
    void aTokenIsExchangedOnceForInstanceRoleCredentials() {
        IssuedJoinToken issued = tokens.create(ACCOUNT, Optional.of("web"), Duration.ofHours(2));
        assertThat(issued.token()).startsWith("stvjoin." + ACCOUNT + "." + issued.record().tokenId() + ".");
        assertThat(tokens.list(ACCOUNT)).extracting(JoinTokenRecord::tokenId).containsExactly(issued.record().tokenId());
        assertThat(tokens.list(ACCOUNT).get(0).secretSha256()).doesNotContain(issued.token().substring(issued.token().lastIndexOf('.') + 1));

        AgentSession session = tokens.exchange(issued.token());

        assertThat(session.roleArn()).isEqualTo(INSTANCE_ROLE.arn());
        assertThat(session.cluster()).contains("web");
        assertThat(session.credentials().expiration()).isEqualTo(clock.instant().plus(JoinTokens.CREDENTIALS_LIFETIME));
        Principal agent = principalOf(session);
        assertThat(agent.arn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/ecsInstanceRole/join-"
                + issued.record().tokenId());
        assertThat(agent.session().orElseThrow().identityArn()).isEqualTo(INSTANCE_ROLE.arn());
        assertThat(agent.session().orElseThrow().policy()).contains(JoinTokens.clusterOnly(ACCOUNT, "web"));
        assertThat(tokens.list(ACCOUNT).get(0).status(clock.instant())).isEqualTo("USED");

        assertThatThrownBy(() -> tokens.exchange(issued.token())).isInstanceOf(JoinRefusedException.class)
                .hasMessageContaining("already used");
    }

    @Test
    void unknownForgedExpiredAndRevokedTokensAreRefusedEachWithItsReason() {
        IssuedJoinToken issued = tokens.create(ACCOUNT, Optional.empty(), Duration.ofMinutes(10));
        String forged = issued.token().substring(0, issued.token().length() - 2) + "AA";
        assertThatThrownBy(() -> tokens.exchange(forged)).hasMessage("The join token is not known to this server.");
        assertThatThrownBy(() -> tokens.exchange("AKIAIOSFODNN7EXAMPLE")).hasMessage("This is not a Stevedore join token.");

        clock.advance(Duration.ofMinutes(10));
        assertThatThrownBy(() -> tokens.exchange(issued.token())).hasMessageContaining("expired");

        IssuedJoinToken revoked = tokens.create(ACCOUNT, Optional.empty(), Duration.ofHours(1));
        tokens.revoke(ACCOUNT, revoked.record().tokenId());
        assertThatThrownBy(() -> tokens.exchange(revoked.token())).hasMessageContaining("was revoked");
        assertThat(tokens.list(ACCOUNT)).filteredOn(r -> r.tokenId().equals(revoked.record().tokenId()))
                .extracting(r -> r.status(clock.instant())).containsExactly("REVOKED");
    }

    @Test
    void aJoinedAgentRefreshesUntilItsTokenIsRevoked() {
        IssuedJoinToken issued = tokens.create(ACCOUNT, Optional.empty(), Duration.ofHours(1));
        AgentSession first = tokens.exchange(issued.token());
        clock.advance(Duration.ofMinutes(40));

        AgentSession second = tokens.refresh(principalOf(first));
        assertThat(second.credentials().accessKeyId()).isNotEqualTo(first.credentials().accessKeyId());
        assertThat(second.credentials().expiration()).isEqualTo(clock.instant().plus(JoinTokens.CREDENTIALS_LIFETIME));
        assertThat(principalOf(second).arn()).isEqualTo(principalOf(first).arn());

        tokens.revoke(ACCOUNT, issued.record().tokenId());
        assertThatThrownBy(() -> tokens.refresh(principalOf(second))).hasMessageContaining("was revoked");
    }

    @Test
    void aLocalAgentGetsInstanceRoleCredentialsForItsClusterOnlyWithoutAToken() {
        AgentSession session = tokens.local(ACCOUNT, "default");

        Principal agent = principalOf(session);
        assertThat(agent.arn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/ecsInstanceRole/local-default");
        assertThat(agent.session().orElseThrow().identityArn()).isEqualTo(INSTANCE_ROLE.arn());
        assertThat(agent.session().orElseThrow().policy()).contains(JoinTokens.clusterOnly(ACCOUNT, "default"));
        assertThat(session.credentials().expiration()).isEqualTo(clock.instant().plus(JoinTokens.CREDENTIALS_LIFETIME));
        assertThat(tokens.list(ACCOUNT)).isEmpty();
        // Its renewal is asking again in-process; the joined agents' refresh endpoint is not for it.
        assertThatThrownBy(() -> tokens.refresh(agent)).isInstanceOf(JoinRefusedException.class);
    }

    @Test
    void onlyJoinedAgentsRefresh() {
        Principal user = new Principal(ACCOUNT, "AKIAUSER", "arn:aws:iam::" + ACCOUNT + ":user/bob");
        assertThatThrownBy(() -> tokens.refresh(user)).isInstanceOf(JoinRefusedException.class);
    }

    @Test
    void ofAgentsRacingWithOneTokenExactlyOneJoins() throws Exception {
        IssuedJoinToken issued = tokens.create(ACCOUNT, Optional.empty(), Duration.ofHours(1));
        List<Callable<Boolean>> racers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            racers.add(() -> {
                try {
                    tokens.exchange(issued.token());
                    return true;
                } catch (JoinRefusedException e) {
                    return false;
                }
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            long joined = 0;
            for (Future<Boolean> outcome : pool.invokeAll(racers)) {
                joined += outcome.get() ? 1 : 0;
            }
            assertThat(joined).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
