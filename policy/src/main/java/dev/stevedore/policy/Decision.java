package dev.stevedore.policy;

import java.util.Optional;

/**
 * The outcome of evaluating a request: the verdict, the type of policy that decided it (for an
 * implicit deny, the type in which no Allow was found), and the deciding statement (an implicit deny
 * has none).
 */
public record Decision(Verdict verdict, PolicyType policyType, Optional<DecidingStatement> statement) {

    public enum Verdict { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    /** The statement that decided: its policy's name, its index in the policy, and its Sid when it has one. */
    public record DecidingStatement(String policy, int index, Optional<String> sid) {
        @Override
        public String toString() {
            return policy + "#" + sid.orElse(Integer.toString(index));
        }
    }

    static Decision implicitDeny(PolicyType lacking) {
        return new Decision(Verdict.IMPLICIT_DENY, lacking, Optional.empty());
    }

    static Decision of(Verdict verdict, PolicyType type, NamedPolicy policy, Statement statement) {
        return new Decision(verdict, type, Optional.of(new DecidingStatement(policy.name(), statement.index(), statement.sid())));
    }

    public boolean allowed() {
        return verdict == Verdict.ALLOW;
    }

    /**
     * The words AWS puts after "User: … is not authorized to perform: … on resource: …" for a denial:
     * "because no identity-based policy allows the ecs:RunTask action", or "with an explicit deny in a
     * permissions boundary". Empty for an allow.
     */
    public Optional<String> denialReason(String action) {
        return switch (verdict) {
            case ALLOW -> Optional.empty();
            case EXPLICIT_DENY -> Optional.of("with an explicit deny in " + policyType.withArticle());
            case IMPLICIT_DENY -> Optional.of("because no " + policyType.bare() + " allows the " + action + " action");
        };
    }
}
