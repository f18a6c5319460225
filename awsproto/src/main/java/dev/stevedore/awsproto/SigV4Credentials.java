package dev.stevedore.awsproto;

import java.util.Objects;
import java.util.Optional;

/**
 * An access key as a client holds it to sign requests with {@link SigV4Signer}.
 *
 * @param sessionToken present for temporary credentials; it travels with every signed request
 */
public record SigV4Credentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {

    public SigV4Credentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(sessionToken, "sessionToken");
    }

    // Secrets must not reach logs through a stray toString().
    @Override
    public String toString() {
        return "SigV4Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***, sessionToken="
                + sessionToken.map(t -> "***").orElse("none") + "]";
    }
}
