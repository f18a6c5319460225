package dev.stevedore.control.sts;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A join token as stored ({@code /sts/{account}/join-tokens/{id}}): never the secret, only its digest.
 *
 * @param tokenId      the public half of the token, also the agent's session name ({@code join-<id>})
 * @param secretSha256 hex SHA-256 of the secret half
 * @param cluster      the cluster the agent may join, when the token names one
 * @param createdAt    when it was made
 * @param expiresAt    until when it may be exchanged (an agent that joined keeps refreshing after it)
 * @param usedAt       when it was exchanged: a token works once
 * @param revokedAt    when it was revoked: from then on it neither joins nor refreshes
 */
public record JoinTokenRecord(String tokenId, String secretSha256, Optional<String> cluster, Instant createdAt,
                              Instant expiresAt, Optional<Instant> usedAt, Optional<Instant> revokedAt) {
    public JoinTokenRecord {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(secretSha256, "secretSha256");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(usedAt, "usedAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    JoinTokenRecord used(Instant at) {
        return new JoinTokenRecord(tokenId, secretSha256, cluster, createdAt, expiresAt, Optional.of(at), revokedAt);
    }

    JoinTokenRecord revoked(Instant at) {
        return new JoinTokenRecord(tokenId, secretSha256, cluster, createdAt, expiresAt, usedAt, Optional.of(at));
    }

    /** ACTIVE, USED, REVOKED or EXPIRED, as {@code token list} shows it. */
    public String status(Instant now) {
        if (revokedAt.isPresent()) {
            return "REVOKED";
        }
        if (usedAt.isPresent()) {
            return "USED";
        }
        return now.isBefore(expiresAt) ? "ACTIVE" : "EXPIRED";
    }
}
