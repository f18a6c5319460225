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
}
