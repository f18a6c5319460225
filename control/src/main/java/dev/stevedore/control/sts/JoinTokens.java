package dev.stevedore.control.sts;

import dev.stevedore.awsproto.Principal;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Join tokens: how an agent gets instance-role credentials without anyone's long-term keys.
 *
 * <p>The operator makes a token ({@code stevedore token create}); the agent exchanges it once for
 * temporary credentials of the instance role ({@code ecsInstanceRole}), session name {@code join-<id>},
 * and then refreshes them with themselves before they expire, for as long as the token is not revoked.
 * A token naming a cluster gives credentials whose session policy denies registering into any other
 * cluster. The agents the server runs in its own process ({@code up}'s) get the same role's credentials
 * without a token ({@link #local}). Tokens are stored as digests; the exchange marks a token used in a compare-and-set, so of two
 * agents racing with one token exactly one joins.
 */
public final class JoinTokens {
    public static final String INSTANCE_ROLE = "ecsInstanceRole";
    /** Short, so that a revocation takes effect within the hour: agents refresh long before. */
    public static final Duration CREDENTIALS_LIFETIME = Duration.ofHours(1);
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final Duration MAX_TTL = Duration.ofDays(30);
    private static final String PREFIX = "stvjoin";
    private static final String SESSION_PREFIX = "join-";
    private static final String LOCAL_SESSION_PREFIX = "local-";
    // stvjoin.<account>.<id>.<secret>: the account says whose token it is, the id finds the record.
    private static final Pattern TOKEN = Pattern.compile("stvjoin\\.(\\d{12})\\.([a-z0-9]{16})\\.([A-Za-z0-9_-]{43})");
    private static final Pattern SESSION_ARN = Pattern.compile(
            "arn:aws:sts::(\\d{12}):assumed-role/" + INSTANCE_ROLE + "/" + SESSION_PREFIX + "([a-z0-9]{16})");

    private final StateStore store;
    private final SessionTokens sessions;
    private final IdentityDirectory identities;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public JoinTokens(StateStore store, SessionTokens sessions, IdentityDirectory identities, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.identities = Objects.requireNonNull(identities, "identities");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    static String key(String accountId, String tokenId) {
        return "/sts/" + accountId + "/join-tokens/" + tokenId;
    }

    public IssuedJoinToken create(String accountId, Optional<String> cluster, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("a join token lives from 1 second to " + MAX_TTL.toDays() + " days");
        }
        String tokenId = HexFormat.of().formatHex(randomBytes(8));
        String secret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        Instant now = clock.instant();
        JoinTokenRecord record = new JoinTokenRecord(tokenId, sha256(secret), cluster, now, now.plus(ttl),
                Optional.empty(), Optional.empty());
        StoreTx.run(store, tx -> {
            tx.put(key(accountId, tokenId), record);
            return null;
        });
        return new IssuedJoinToken(String.join(".", PREFIX, accountId, tokenId, secret), record);
    }

    public List<JoinTokenRecord> list(String accountId) {
        return StoreTx.run(store, tx -> tx.scan("/sts/" + accountId + "/join-tokens/", JoinTokenRecord.class));
    }

    /** Revokes a token: it can no longer join, and the agent that joined with it can no longer refresh. */
    public JoinTokenRecord revoke(String accountId, String tokenId) {
        Instant now = clock.instant();
        return StoreTx.run(store, tx -> {
            JoinTokenRecord record = tx.read(key(accountId, tokenId), JoinTokenRecord.class)
                    .orElseThrow(() -> new JoinRefusedException("There is no join token " + tokenId + "."));
            JoinTokenRecord revoked = record.revokedAt().isPresent() ? record : record.revoked(now);
            tx.put(key(accountId, tokenId), revoked);
            return revoked;
        });
    }

    /** Exchanges a token for instance-role credentials, once. */
    public AgentSession exchange(String token) {
        Matcher m = TOKEN.matcher(token.trim());
        if (!m.matches()) {
            throw new JoinRefusedException("This is not a Stevedore join token.");
        }
        String accountId = m.group(1);
        String tokenId = m.group(2);
        String secretDigest = sha256(m.group(3));
        Instant now = clock.instant();
        JoinTokenRecord record = StoreTx.run(store, tx -> {
            JoinTokenRecord found = tx.read(key(accountId, tokenId), JoinTokenRecord.class)
                    .filter(r -> MessageDigest.isEqual(r.secretSha256().getBytes(StandardCharsets.US_ASCII),
                            secretDigest.getBytes(StandardCharsets.US_ASCII)))
                    .orElseThrow(() -> new JoinRefusedException("The join token is not known to this server."));
            switch (found.status(now)) {
                case "REVOKED" -> throw new JoinRefusedException("The join token " + tokenId + " was revoked.");
                case "USED" -> throw new JoinRefusedException("The join token " + tokenId
                        + " was already used; a token joins one agent once. Create a new one.");
                case "EXPIRED" -> throw new JoinRefusedException("The join token " + tokenId + " expired at "
                        + found.expiresAt() + ".");
                default -> { }
            }
            JoinTokenRecord used = found.used(now);
            tx.put(key(accountId, tokenId), used);
            return used;
        });
        return issue(accountId, SESSION_PREFIX + record.tokenId(), record.cluster(), now);
    }

    /** New credentials for an agent that joined with a token, asked with its current ones. */
    public AgentSession refresh(Principal caller) {
        Matcher m = SESSION_ARN.matcher(caller.arn());
        if (caller.session().isEmpty() || !m.matches() || !m.group(1).equals(caller.accountId())) {
            throw new JoinRefusedException("Only an agent that joined with a token refreshes its credentials here; "
                    + caller.arn() + " did not.");
        }
        String tokenId = m.group(2);
        JoinTokenRecord record = StoreTx.run(store, tx -> tx.read(key(caller.accountId(), tokenId), JoinTokenRecord.class))
                .orElseThrow(() -> new JoinRefusedException("The join token " + tokenId + " no longer exists."));
        if (record.revokedAt().isPresent()) {
            throw new JoinRefusedException("The join token " + tokenId + " was revoked; the agent must join again.");
        }
        return issue(caller.accountId(), SESSION_PREFIX + record.tokenId(), record.cluster(), clock.instant());
    }

    /**
     * Instance-role credentials for an agent of the server's own process, which registers into
     * {@code cluster} and nowhere else: session {@code local-<cluster>}. No token is needed, since
     * only the server itself can ask; it asks again (there is no other refresh) before they expire.
     * They cannot be refreshed through {@link #refresh}, which is for agents that joined with a token.
     */
    public AgentSession local(String accountId, String cluster) {
        return issue(accountId, LOCAL_SESSION_PREFIX + cluster, Optional.of(cluster), clock.instant());
    }

    private AgentSession issue(String accountId, String session, Optional<String> cluster, Instant now) {
        String roleArn = "arn:aws:iam::" + accountId + ":role/" + INSTANCE_ROLE;
        AssumableRole role = identities.role(accountId, roleArn).orElseThrow(() -> new JoinRefusedException(
                "The instance role " + roleArn + " does not exist; create it (see the README) before agents join."));
        Optional<String> policy = cluster.map(only -> clusterOnly(accountId, only));
        TemporaryCredentials credentials = sessions.issue(new SessionGrant(accountId,
                "arn:aws:sts::" + accountId + ":assumed-role/" + role.name() + "/" + session, role.arn(),
                role.roleId() + ":" + session, now, now.plus(CREDENTIALS_LIFETIME), policy, List.of()));
        return new AgentSession(credentials, role.arn(), cluster);
    }

    /**
     * The session policy of a token that names a cluster: everything the role allows, except
     * registering into another cluster (in any Region).
     */
    static String clusterOnly(String accountId, String cluster) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"ecs:RegisterContainerInstance\","
                + "\"NotResource\":\"arn:aws:ecs:*:" + accountId + ":cluster/" + cluster + "\"}]}";
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
