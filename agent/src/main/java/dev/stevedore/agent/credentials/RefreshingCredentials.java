package dev.stevedore.agent.credentials;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.api.CredentialSource;
import dev.stevedore.agent.api.EcsApiException;
import dev.stevedore.agent.api.InstanceCredentials;
import dev.stevedore.agent.channel.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A joined agent's credentials, replaced in the background before they expire: one virtual thread
 * sleeps until half their lifetime has passed ({@link InstanceCredentials#refreshAt}), asks the
 * control plane for new ones with the current ones, and hands them to {@code keep} (the data
 * directory's file). Signing reads the held keys and never waits for the network.
 *
 * <p>A refresh that gets no answer is tried again with backoff, never later than half of what is
 * left of the keys' lifetime. A refusal (the join was revoked, the keys expired) is logged as an
 * error and asked again only after {@link RefreshSettings#afterRefusal}: the held keys stay in use
 * until they expire, and then the agent's calls fail, visibly, with the control plane's
 * ExpiredTokenException, until it is started with a new join token.
 */
public final class RefreshingCredentials implements CredentialSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshingCredentials.class);

    /** The control plane's refresh call. */
    @FunctionalInterface
    public interface Refresh {
        /** @throws EcsApiException refused or not answered */
        InstanceCredentials refresh(AgentCredentials current);
    }

    private final Refresh refresh;
    private final Consumer<InstanceCredentials> keep;
    private final RefreshSettings settings;
    private final Clock clock;
    private final Backoff backoff;
    private final Thread thread;
    private volatile InstanceCredentials held;
    private volatile boolean closed;

    private RefreshingCredentials(InstanceCredentials initial, Refresh refresh, Consumer<InstanceCredentials> keep,
                                  RefreshSettings settings, Clock clock) {
        this.held = Objects.requireNonNull(initial, "initial");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        this.keep = Objects.requireNonNull(keep, "keep");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backoff = new Backoff(settings.retryInitial(), settings.retryMax(), new Random());
        this.thread = Thread.ofVirtual().name("stevedore-credentials-refresh").unstarted(this::run);
    }

    /**
     * Holds {@code initial} and starts refreshing them.
     *
     * @param keep given each set of new credentials (after they are held); a failure there is logged
     */
    public static RefreshingCredentials start(InstanceCredentials initial, Refresh refresh,
                                              Consumer<InstanceCredentials> keep, RefreshSettings settings,
                                              Clock clock) {
        RefreshingCredentials credentials = new RefreshingCredentials(initial, refresh, keep, settings, clock);
        credentials.thread.start();
        return credentials;
    }

    @Override
    public AgentCredentials current() {
        return held.credentials();
    }

    /** The credentials held now, with their expiry and role. */
    public InstanceCredentials held() {
        return held;
    }

    private void run() {
        Instant next = held.refreshAt();
        while (!closed) {
            Duration wait = Duration.between(clock.instant(), next);
            if (wait.isPositive()) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (closed) {
                return;
            }
            next = attempt();
        }
    }

    /** One refresh; returns when to try next. */
    private Instant attempt() {
        InstanceCredentials before = held;
        try {
            InstanceCredentials fresh = refresh.refresh(before.credentials());
            held = fresh;
            backoff.reset();
            LOG.info("instance credentials refreshed: {} of {}, until {}", fresh.credentials().accessKeyId(),
                    fresh.roleArn(), fresh.expiration());
            keepQuietly(fresh);
            return fresh.refreshAt();
        } catch (EcsApiException e) {
            return clock.instant().plus(retryAfter(e, before, clock.instant()));
        } catch (RuntimeException e) {
            // A bug must not end the thread: without it the keys would silently run out.
            Duration wait = backoff.next();
            LOG.error("refreshing the instance credentials failed unexpectedly; trying again in {} ms", wait.toMillis(), e);
            return clock.instant().plus(wait);
        }
    }

    private Duration retryAfter(EcsApiException failure, InstanceCredentials before, Instant now) {
        if (closed) {
            return Duration.ZERO;
        }
        if (before.expiredAt(now) || "ExpiredTokenException".equals(failure.errorCode())) {
            LOG.error("the instance credentials {} expired at {}: the agent's calls to the control plane fail from "
                    + "now on. Start the agent again with a new join token (bin/stevedore token create). ({})",
                    before.credentials().accessKeyId(), before.expiration(), failure.getMessage());
            return settings.afterRefusal();
        }
        if (failure.isClientError()) {
            LOG.error("the control plane refused to refresh the instance credentials: {}. The current ones end at {}; "
                    + "asking again in {} s", failure.getMessage(), before.expiration(),
                    settings.afterRefusal().toSeconds());
            return settings.afterRefusal();
        }
        Duration wait = backoff.next();
        // However long the backoff has grown, try again while the keys still work.
        Duration halfLeft = Duration.between(now, before.expiration()).dividedBy(2);
        if (halfLeft.compareTo(settings.retryInitial()) > 0 && halfLeft.compareTo(wait) < 0) {
            wait = halfLeft;
        }
        LOG.warn("cannot refresh the instance credentials ({}); trying again in {} ms, they end at {}",
                failure.getMessage(), wait.toMillis(), before.expiration());
        return wait;
    }

    private void keepQuietly(InstanceCredentials fresh) {
        try {
            keep.accept(fresh);
        } catch (RuntimeException e) {
            // The new keys are held and work; only a restart would miss them.
            LOG.warn("could not keep the refreshed instance credentials: {}", e.toString());
        }
    }

    /** Stops refreshing; the held keys stay readable. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
