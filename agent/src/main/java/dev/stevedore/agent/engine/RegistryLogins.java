package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.RegistryAuth;
import dev.stevedore.model.agent.TaskCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which images the engine pulls from this Stevedore's ECR, and the registry credentials it pulls
 * them with: a token per role (the task's execution role, else the instance's) and Region, kept
 * until shortly before it expires, as the ECS agent keeps them: from half an hour to an hour early,
 * spread so that the tokens of many tasks are not asked for again all at once. Safe for the engine's
 * supervisors to share.
 */
final class RegistryLogins {
    static final Duration EARLIEST_RENEWAL = Duration.ofMinutes(30);

    private record Key(String role, String region) {}

    private record Kept(RegistryAuth auth, Instant renewAt) {}

    private final RegistryTokens tokens;
    private final Clock clock;
    private final Map<Key, Kept> kept = new ConcurrentHashMap<>();

    RegistryLogins(RegistryTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Whether {@code image} is in the registry: its first path component names the registry's host and port. */
    boolean holds(String image) {
        int slash = image.indexOf('/');
        return slash > 0 && tokens.registry().map(r -> r.equals(image.substring(0, slash))).orElse(false);
    }

    /**
     * The credentials to pull with, a kept token while it is good.
     *
     * @throws RegistryTokens.TokenRefusedException when a token was needed and ECR refused it
     */
    RegistryAuth login(Optional<TaskCredentials> executionRole, String region) {
        Key key = new Key(executionRole.map(TaskCredentials::roleArn).orElse(""), region);
        Instant now = clock.instant();
        Kept current = kept.get(key);
        if (current != null && now.isBefore(current.renewAt())) {
            return current.auth();
        }
        RegistryTokens.Token token = tokens.token(executionRole, region);
        long spreadSeconds = ThreadLocalRandom.current().nextLong(EARLIEST_RENEWAL.toSeconds() + 1);
        Instant renewAt = token.expiresAt().minus(EARLIEST_RENEWAL).minusSeconds(spreadSeconds);
        RegistryAuth auth = new RegistryAuth(token.username(), token.password());
        kept.put(key, new Kept(auth, renewAt));
        return auth;
    }
}
