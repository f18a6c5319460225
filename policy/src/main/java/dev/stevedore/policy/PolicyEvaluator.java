package dev.stevedore.policy;

import java.util.List;
import java.util.Optional;

/**
 * IAM's evaluation logic for a request, as a pure function of the request and its policies.
 *
 * <ol>
 *   <li>A Deny statement that applies, in any policy, decides: explicit deny.</li>
 *   <li>A resource-based Allow that names the user or the role session itself (or everyone, or the
 *       calling service) allows on its own, within the account.</li>
 *   <li>Otherwise an identity-based Allow is needed (a resource-based Allow naming the session's role
 *       counts as one); then the permissions boundary, if any, and the session policies, if any, must
 *       each allow too. The first missing allow is an implicit deny.</li>
 *   <li>Across accounts, the resource's policy must allow as well as the principal's own policies.</li>
 * </ol>
 * Organizations' SCPs and RCPs are not modelled. The root user's bypass is the caller's.
 */
public final class PolicyEvaluator {
    private PolicyEvaluator() {}

    public static Decision evaluate(AuthorizationRequest request) {
        Optional<Decision> deny = explicitDeny(request);
        if (deny.isPresent()) {
            return deny.get();
        }
        Optional<Decision> resourceAllow = Optional.empty();
        PrincipalSpec.Match resourceMatch = PrincipalSpec.Match.NONE;
        if (request.resourcePolicy().isPresent()) {
            NamedPolicy policy = request.resourcePolicy().get();
            for (Statement s : policy.document().statements()) {
                if (s.effect() != Effect.ALLOW) {
                    continue;
                }
                PrincipalSpec.Match m = s.principalMatch(request.principal());
                if (m.compareTo(resourceMatch) > 0 && applies(s, request)) {
                    resourceMatch = m;
                    resourceAllow = Optional.of(Decision.of(Decision.Verdict.ALLOW, PolicyType.RESOURCE_BASED, policy, s));
                }
            }
        }
        if (request.crossAccount()) {
            if (resourceAllow.isEmpty()) {
                return Decision.implicitDeny(PolicyType.RESOURCE_BASED);
            }
            return principalSide(request, Optional.empty());
        }
        if (resourceMatch == PrincipalSpec.Match.DIRECT) {
            return resourceAllow.get();
        }
        return principalSide(request, resourceMatch == PrincipalSpec.Match.ROLE ? resourceAllow : Optional.empty());
    }

    /** The principal's own side: an identity Allow (or a grant to its role), within the boundary and session policies. */
    private static Decision principalSide(AuthorizationRequest request, Optional<Decision> grantToRole) {
        Optional<Decision> allow = firstAllow(request.identityPolicies(), PolicyType.IDENTITY_BASED, request).or(() -> grantToRole);
        if (allow.isEmpty()) {
            return Decision.implicitDeny(PolicyType.IDENTITY_BASED);
        }
        if (request.permissionsBoundary().isPresent()
                && firstAllow(List.of(request.permissionsBoundary().get()), PolicyType.PERMISSIONS_BOUNDARY, request).isEmpty()) {
            return Decision.implicitDeny(PolicyType.PERMISSIONS_BOUNDARY);
        }
        if (!request.sessionPolicies().isEmpty() && firstAllow(request.sessionPolicies(), PolicyType.SESSION, request).isEmpty()) {
            return Decision.implicitDeny(PolicyType.SESSION);
        }
        return allow.get();
    }

    private static Optional<Decision> explicitDeny(AuthorizationRequest request) {
        if (request.resourcePolicy().isPresent()) {
            NamedPolicy policy = request.resourcePolicy().get();
            for (Statement s : policy.document().statements()) {
                if (s.effect() == Effect.DENY && s.principalMatch(request.principal()) != PrincipalSpec.Match.NONE && applies(s, request)) {
                    return Optional.of(Decision.of(Decision.Verdict.EXPLICIT_DENY, PolicyType.RESOURCE_BASED, policy, s));
                }
            }
        }
        Optional<Decision> deny = firstDeny(request.identityPolicies(), PolicyType.IDENTITY_BASED, request);
        if (deny.isEmpty() && request.permissionsBoundary().isPresent()) {
            deny = firstDeny(List.of(request.permissionsBoundary().get()), PolicyType.PERMISSIONS_BOUNDARY, request);
        }
        if (deny.isEmpty()) {
            deny = firstDeny(request.sessionPolicies(), PolicyType.SESSION, request);
        }
        return deny;
    }

    private static Optional<Decision> firstDeny(List<NamedPolicy> policies, PolicyType type, AuthorizationRequest request) {
        return first(policies, type, request, Effect.DENY, Decision.Verdict.EXPLICIT_DENY);
    }

    private static Optional<Decision> firstAllow(List<NamedPolicy> policies, PolicyType type, AuthorizationRequest request) {
        return first(policies, type, request, Effect.ALLOW, Decision.Verdict.ALLOW);
    }

    private static Optional<Decision> first(
            List<NamedPolicy> policies, PolicyType type, AuthorizationRequest request, Effect effect, Decision.Verdict verdict) {
        for (NamedPolicy policy : policies) {
            for (Statement s : policy.document().statements()) {
                if (s.effect() == effect && applies(s, request)) {
                    return Optional.of(Decision.of(verdict, type, policy, s));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean applies(Statement s, AuthorizationRequest request) {
        return s.applies(request.action(), request.resource(), request.context());
    }
}
