package dev.stevedore.awsproto;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The secret side of an access key: what the server needs to check a signature made with it, and
 * whom it authenticates.
 *
 * @param accessKeyId     the access key id ({@code AKIA...} or {@code ASIA...})
 * @param secretAccessKey the secret the caller signs with
 * @param sessionToken    the session token that must accompany temporary credentials
 * @param principal       the identity the key belongs to
 * @param expiration      when temporary credentials stop being valid
 */
public record SigningIdentity(String accessKeyId, String secretAccessKey, Optional<String> sessionToken,
                              Principal principal, Optional<Instant> expiration) {

    public SigningIdentity {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(sessionToken, "sessionToken");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(expiration, "expiration");
    }

    /** Credentials without an expiry. */
    public SigningIdentity(String accessKeyId, String secretAccessKey, Optional<String> sessionToken,
                           Principal principal) {
        this(accessKeyId, secretAccessKey, sessionToken, principal, Optional.empty());
    }

    // Secrets must not reach logs through a stray toString().
    @Override
    public String toString() {
        return "SigningIdentity[accessKeyId=" + accessKeyId + ", secretAccessKey=***, sessionToken="
                + sessionToken.map(t -> "***").orElse("none") + ", principal=" + principal
                + ", expiration=" + expiration.map(Instant::toString).orElse("none") + "]";
    }
}
