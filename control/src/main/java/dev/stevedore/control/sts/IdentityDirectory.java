package dev.stevedore.control.sts;

import java.util.Optional;

/** The IAM facts STS reads: implemented by the IAM API over its records. */
public interface IdentityDirectory {

    /** An IAM user's unique id ({@code AIDA...}), when the user exists. */
    Optional<String> userId(String accountId, String userArn);

    /** A role that may be assumed, when it exists. */
    Optional<AssumableRole> role(String accountId, String roleArn);
}
