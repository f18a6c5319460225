package dev.stevedore.awsproto;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Where the verifier finds the secret behind an access key id (configuration, IAM users, STS sessions). */
public interface CredentialsLookup {

    /** The identity of an access key, or empty when the key is unknown or disabled. */
    Optional<SigningIdentity> find(String accessKeyId);

    /**
     * The identity of an access key presented with the request's session token, if any. Temporary
     * credentials are self-verifying: their lookup reads the token, not a table, so it needs it here.
     */
    default Optional<SigningIdentity> find(String accessKeyId, Optional<String> sessionToken) {
        return find(accessKeyId);
    }

    /** Asks {@code this}, then {@code other} for keys this one does not know. */
    default CredentialsLookup or(CredentialsLookup other) {
        CredentialsLookup first = this;
        return new CredentialsLookup() {
            @Override
            public Optional<SigningIdentity> find(String accessKeyId) {
                return find(accessKeyId, Optional.empty());
            }

            @Override
            public Optional<SigningIdentity> find(String accessKeyId, Optional<String> sessionToken) {
                Optional<SigningIdentity> found = first.find(accessKeyId, sessionToken);
                return found.isPresent() ? found : other.find(accessKeyId, sessionToken);
            }
        };
    }

    /** A fixed set of identities, e.g. the root keys from configuration. */
    static CredentialsLookup of(Collection<SigningIdentity> identities) {
        Map<String, SigningIdentity> byKey = identities.stream()
                .collect(Collectors.toUnmodifiableMap(SigningIdentity::accessKeyId, Function.identity()));
        return accessKeyId -> Optional.ofNullable(byKey.get(accessKeyId));
    }

    static CredentialsLookup of(SigningIdentity... identities) {
        return of(java.util.List.of(identities));
    }
}
