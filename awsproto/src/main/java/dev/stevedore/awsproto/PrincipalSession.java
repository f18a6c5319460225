package dev.stevedore.awsproto;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What temporary credentials carry about the session they belong to, read from the session token.
 *
 * @param identityArn the role (for an assumed role) or user (for GetSessionToken) whose policies apply
 * @param userId      the caller's unique id as GetCallerIdentity answers it ({@code AROA...:session} or {@code AIDA...})
 * @param issuedAt    when the session began ({@code aws:TokenIssueTime})
 * @param policy      the inline session policy, when one was passed
 * @param policyArns  the managed session policies, when passed
 */
public record PrincipalSession(String identityArn, String userId, Instant issuedAt, Optional<String> policy,
                               List<String> policyArns) {
    public PrincipalSession {
        Objects.requireNonNull(identityArn, "identityArn");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(policy, "policy");
        policyArns = List.copyOf(policyArns);
    }

    /** Whether session policies narrow the session (then only what they also allow is allowed). */
    public boolean hasSessionPolicies() {
        return policy.isPresent() || !policyArns.isEmpty();
    }
}
