package dev.stevedore.awsproto;

import java.util.Objects;
import java.util.Optional;

/**
 * The authenticated caller of a request: the account it acts in, the access key it signed with and
 * the ARN of the identity (root, IAM user or assumed role) that owns that key; temporary credentials
 * also carry their session.
 */
public record Principal(String accountId, String accessKeyId, String arn, Optional<PrincipalSession> session) {
    public Principal {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(session, "session");
    }

    /** A caller with long-term keys (the root, an IAM user). */
    public Principal(String accountId, String accessKeyId, String arn) {
        this(accountId, accessKeyId, arn, Optional.empty());
    }

    /** Whether this is the account's root user, whom no policy restricts. */
    public boolean isRoot() {
        // On every call: compared in place rather than by building the root's ARN.
        String prefix = "arn:aws:iam::";
        return arn.length() == prefix.length() + accountId.length() + ":root".length()
                && arn.startsWith(prefix) && arn.startsWith(accountId, prefix.length()) && arn.endsWith(":root");
    }
}
