package dev.stevedore.control.access;

import dev.stevedore.policy.NamedPolicy;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Where the authorizer finds policies: implemented by the IAM API over its records. */
public interface PolicySource {

    /** The policies of a user or role (inline and attached) and its permissions boundary; none for an unknown one. */
    PrincipalPolicies of(String accountId, String identityArn);

    /** A managed policy's default version, for session policies named by ARN. */
    Optional<NamedPolicy> managedPolicy(String accountId, String policyArn);

    /**
     * A number that changes whenever any answer of this source may have changed (an IAM write), so an
     * answer cached at one value is good while the value stays the same.
     */
    long version();

    /** What applies to one IAM identity. */
    record PrincipalPolicies(List<NamedPolicy> policies, Optional<NamedPolicy> permissionsBoundary) {
        public PrincipalPolicies {
            policies = List.copyOf(policies);
            Objects.requireNonNull(permissionsBoundary, "permissionsBoundary");
        }

        public static PrincipalPolicies none() {
            return new PrincipalPolicies(List.of(), Optional.empty());
        }
    }
}
