package dev.stevedore.awsproto;

import java.util.Objects;

/**
 * The authenticated caller of a request: the account it acts in, the access key it signed with and
 * the ARN of the identity (root, IAM user or assumed role) that owns that key.
 */
public record Principal(String accountId, String accessKeyId, String arn) {
    public Principal {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(arn, "arn");
    }

    /** Whether this is the account's root user, whom no policy restricts. */
    public boolean isRoot() {
        // On every call: compared in place rather than by building the root's ARN.
        String prefix = "arn:aws:iam::";
        return arn.length() == prefix.length() + accountId.length() + ":root".length()
                && arn.startsWith(prefix) && arn.startsWith(accountId, prefix.length()) && arn.endsWith(":root");
    }
}
