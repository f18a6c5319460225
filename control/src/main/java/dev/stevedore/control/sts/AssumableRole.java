package dev.stevedore.control.sts;

import java.time.Duration;
import java.util.Objects;

/**
 * What STS needs of a role: who may assume it and for how long.
 *
 * @param arn                the role's ARN
 * @param roleId             its unique id ({@code AROA...}), the first half of an assumed role's UserId
 * @param name               its name, which the assumed-role ARN carries
 * @param trustPolicy        the trust policy document (JSON text, not URL-encoded)
 * @param maxSessionDuration the longest session AssumeRole may grant (1 to 12 hours)
 */
public record AssumableRole(String arn, String roleId, String name, String trustPolicy, Duration maxSessionDuration) {
    public AssumableRole {
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(roleId, "roleId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(trustPolicy, "trustPolicy");
        Objects.requireNonNull(maxSessionDuration, "maxSessionDuration");
    }
}
