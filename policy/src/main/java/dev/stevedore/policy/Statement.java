package dev.stevedore.policy;

import java.util.List;
import java.util.Optional;

/**
 * One statement of a policy, parsed and compiled.
 *
 * @param index the statement's position in the document (0-based)
 * @param principal the Principal or NotPrincipal element, when there is one
 * @param notPrincipal whether {@code principal} came from NotPrincipal
 * @param resources Resource or NotResource ({@link Patterns#ANY} in a trust policy)
 */
public record Statement(
        int index,
        Optional<String> sid,
        Effect effect,
        Optional<PrincipalSpec> principal,
        boolean notPrincipal,
        Patterns actions,
        Patterns resources,
        List<Condition> conditions) {

    public Statement {
        conditions = List.copyOf(conditions);
    }

    /** Whether the statement applies to this action, resource and context (principal aside). */
    boolean applies(String action, String resource, RequestContext context) {
        if (!actions.matches(action, context) || !resources.matches(resource, context)) {
            return false;
        }
        for (Condition c : conditions) {
            if (!c.test(context)) {
                return false;
            }
        }
        return true;
    }

    /** How the statement names this principal; a statement without Principal names nobody. */
    PrincipalSpec.Match principalMatch(Principal caller) {
        if (principal.isEmpty()) {
            return PrincipalSpec.Match.NONE;
        }
        PrincipalSpec.Match m = principal.get().match(caller);
        if (!notPrincipal) {
            return m;
        }
        return m == PrincipalSpec.Match.NONE ? PrincipalSpec.Match.DIRECT : PrincipalSpec.Match.NONE;
    }
}
