package dev.stevedore.control.sts;

import dev.stevedore.awsproto.CallContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a caller may assume a role: the role's trust policy (a resource-based policy) together with
 * the caller's own policies, as IAM evaluates {@code sts:AssumeRole}. Empty when allowed; otherwise the
 * reason AWS appends to its denial.
 */
@FunctionalInterface
public interface TrustDecision {
    Optional<String> denial(CallContext caller, AssumableRole role, Map<String, List<String>> conditionKeys);
}
