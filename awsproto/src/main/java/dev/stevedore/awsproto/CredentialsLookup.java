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
