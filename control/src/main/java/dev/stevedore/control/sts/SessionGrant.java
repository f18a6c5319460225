package dev.stevedore.control.sts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a new session is: whose it is and for how long. STS decides it (AssumeRole, GetSessionToken) and
 * {@link SessionTokens} turns it into credentials.
 *
 * @param accountId    the account the session acts in
 * @param principalArn the caller's ARN while using it ({@code arn:aws:sts::A:assumed-role/R/S}, or a user's ARN)
 * @param identityArn  the role or user whose policies apply
 * @param userId       GetCallerIdentity's UserId ({@code AROA...:S}, or the user's {@code AIDA...})
 * @param issuedAt     when it starts
 * @param expiresAt    when it ends
 * @param policy       the inline session policy, if any
 * @param policyArns   the managed session policies, if any
 */
public record SessionGrant(String accountId, String principalArn, String identityArn, String userId,
                           Instant issuedAt, Instant expiresAt, Optional<String> policy, List<String> policyArns) {
    public SessionGrant {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(principalArn, "principalArn");
        Objects.requireNonNull(identityArn, "identityArn");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(policy, "policy");
        policyArns = List.copyOf(policyArns);
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("a session must end after it starts");
        }
    }
}
