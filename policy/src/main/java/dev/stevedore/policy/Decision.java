package dev.stevedore.policy;

import java.util.Optional;

/**
 * The outcome of evaluating a request, with the statement that decided it (an implicit deny has none).
 */
public record Decision(Verdict verdict, Optional<DecidingStatement> statement) {

    public enum Verdict { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    /** The statement that decided: its policy's name, its index in the policy, and its Sid when it has one. */
    public record DecidingStatement(String policy, int index, Optional<String> sid) {
        @Override
        public String toString() {
            return policy + "#" + sid.orElse(Integer.toString(index));
        }
    }

    static final Decision IMPLICIT_DENY = new Decision(Verdict.IMPLICIT_DENY, Optional.empty());

    static Decision of(Verdict verdict, NamedPolicy policy, Statement statement) {
        return new Decision(verdict, Optional.of(new DecidingStatement(policy.name(), statement.index(), statement.sid())));
    }

    public boolean allowed() {
        return verdict == Verdict.ALLOW;
    }
}
