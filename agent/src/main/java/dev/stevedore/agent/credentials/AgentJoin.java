package dev.stevedore.agent.credentials;

import dev.stevedore.agent.api.EcsApiException;
import dev.stevedore.agent.api.InstanceCredentials;
import dev.stevedore.agent.api.InstanceCredentialsClient;
import dev.stevedore.agent.channel.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * How a joined agent gets its credentials at start: with a join token it has not used yet, by
 * exchanging it (once; the control plane takes a token only once); otherwise from the data
 * directory, where the last ones are kept. Kept credentials that expired cannot be refreshed
 * (refreshing is signed with them), so the agent then needs a new token.
 */
public final class AgentJoin {
    private static final Logger LOG = LoggerFactory.getLogger(AgentJoin.class);
    private static final String NEW_TOKEN = "`bin/stevedore token create` makes one; pass it with --join-token "
            + "or STEVEDORE_JOIN_TOKEN";

    private final InstanceCredentialsFile file;
    private final InstanceCredentialsClient client;
    private final Clock clock;

    public AgentJoin(InstanceCredentialsFile file, InstanceCredentialsClient client, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The credentials to start with. With {@code joinToken}: the kept ones when they came from that
     * same token and have not expired (a restart with the same command line), else the token's
     * exchange, kept at once. Without: the kept ones.
     *
     * @return empty when there is no token and nothing kept: the agent never joined, and signs with
     *         keys from its environment
     * @throws JoinException when the token is refused, or the kept credentials expired
     */
    public Optional<InstanceCredentialsFile.Kept> atStart(Optional<String> joinToken) throws InterruptedException {
        Optional<InstanceCredentialsFile.Kept> kept = file.read();
        if (joinToken.isEmpty()) {
            if (kept.isPresent() && kept.get().credentials().expiredAt(clock.instant())) {
                throw new JoinException("the instance credentials kept in " + file.path() + " expired at "
                        + kept.get().credentials().expiration() + ", so they cannot be refreshed: this agent needs a new "
                        + "join token (" + NEW_TOKEN + ")");
            }
            kept.ifPresent(k -> LOG.info("using the instance credentials kept in {} ({}, until {})", file.path(),
                    k.credentials().roleArn(), k.credentials().expiration()));
            return kept;
        }
        String digest = InstanceCredentialsFile.digest(joinToken.get());
        boolean sameToken = kept.filter(k -> k.joinTokenDigest().equals(digest)).isPresent();
        if (sameToken && !kept.get().credentials().expiredAt(clock.instant())) {
            LOG.info("the join token was exchanged before; using the instance credentials kept in {} (until {})",
                    file.path(), kept.get().credentials().expiration());
            return kept;
        }
        InstanceCredentialsFile.Kept joined;
        try {
            joined = new InstanceCredentialsFile.Kept(exchange(joinToken.get()), digest);
        } catch (EcsApiException e) {
            throw new JoinException("the control plane refused the join token: " + e.getMessage()
                    + (sameToken ? ". It was exchanged before, and its credentials expired at "
                    + kept.get().credentials().expiration() + "; a join token is taken only once, so this agent needs a "
                    + "new one (" + NEW_TOKEN + ")" : ""), e);
        }
        file.write(joined);
        LOG.info("joined with a token: credentials of {} until {}, kept in {}", joined.credentials().roleArn(),
                joined.credentials().expiration(), file.path());
        return Optional.of(joined);
    }

    /** Exchanges the token, trying again while the control plane does not answer; throws its refusal. */
    private InstanceCredentials exchange(String joinToken) throws InterruptedException {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10), new Random());
        while (true) {
            try {
                return client.join(joinToken);
            } catch (EcsApiException e) {
                if (e.isClientError()) {
                    throw e;
                }
                Duration wait = backoff.next();
                LOG.warn("cannot exchange the join token ({}); trying again in {} ms", e.getMessage(), wait.toMillis());
                Thread.sleep(wait);
            }
        }
    }

    /**
     * Keeps {@code kept} refreshed from now on, each new set written to the data directory.
     */
    public RefreshingCredentials keepRefreshed(InstanceCredentialsFile.Kept kept, RefreshSettings settings) {
        return RefreshingCredentials.start(kept.credentials(), client::refresh,
                fresh -> file.write(new InstanceCredentialsFile.Kept(fresh, kept.joinTokenDigest())), settings, clock);
    }

    /**
     * The cluster a joined agent joins: the one its join token names, when it names one (the
     * control plane gave these credentials for it), else the one asked for, else {@code fallback}.
     *
     * @param requested the cluster the command line asked for, if it asked
     * @throws JoinException when the token names a cluster and another one was asked for
     */
    public static String clusterToJoin(InstanceCredentials credentials, Optional<String> requested, String fallback) {
        if (credentials.cluster().isEmpty()) {
            return requested.orElse(fallback);
        }
        String named = credentials.cluster().get();
        if (requested.isPresent() && !requested.get().equals(named)) {
            throw new JoinException("this agent's join token is for cluster " + named + ", not " + requested.get()
                    + ": start it without --cluster (or with --cluster " + named + ")");
        }
        return named;
    }
}
