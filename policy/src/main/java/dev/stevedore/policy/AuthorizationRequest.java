package dev.stevedore.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything evaluation looks at for one request.
 *
 * @param principal who asks
 * @param action the action, e.g. {@code ecs:RunTask}
 * @param resource the resource's ARN, or {@code *} for an action on no particular resource
 * @param resourceAccount the account that owns the resource; when it is not the principal's, both an
 *     identity-based and a resource-based policy must allow (cross-account access)
 * @param context the condition keys (the caller fills {@code aws:PrincipalArn}, {@code aws:SourceIp}, …)
 * @param identityPolicies the principal's managed and inline policies (a user's groups' too)
 * @param sessionPolicies the session policies passed when the role was assumed (none: no limit)
 * @param permissionsBoundary the principal's permissions boundary (none: no limit)
 * @param resourcePolicy the resource's own policy (a role's trust policy for sts:AssumeRole)
 */
public record AuthorizationRequest(
        Principal principal,
        String action,
        String resource,
        String resourceAccount,
        RequestContext context,
        List<NamedPolicy> identityPolicies,
        List<NamedPolicy> sessionPolicies,
        Optional<NamedPolicy> permissionsBoundary,
        Optional<NamedPolicy> resourcePolicy) {

    public AuthorizationRequest {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(resourceAccount, "resourceAccount");
        Objects.requireNonNull(context, "context");
        identityPolicies = List.copyOf(identityPolicies);
        sessionPolicies = List.copyOf(sessionPolicies);
        Objects.requireNonNull(permissionsBoundary, "permissionsBoundary");
        Objects.requireNonNull(resourcePolicy, "resourcePolicy");
    }

    /** A request in the principal's own account with identity policies only; add the rest with the withers. */
    public static AuthorizationRequest of(Principal principal, String action, String resource, RequestContext context, List<NamedPolicy> identityPolicies) {
        String account = principal instanceof Principal.Aws a ? a.account() : "";
        return new AuthorizationRequest(principal, action, resource, account, context, identityPolicies, List.of(), Optional.empty(), Optional.empty());
    }

    public AuthorizationRequest withSessionPolicies(List<NamedPolicy> policies) {
        return new AuthorizationRequest(principal, action, resource, resourceAccount, context, identityPolicies, policies, permissionsBoundary, resourcePolicy);
    }

    public AuthorizationRequest withPermissionsBoundary(NamedPolicy boundary) {
        return new AuthorizationRequest(principal, action, resource, resourceAccount, context, identityPolicies, sessionPolicies, Optional.of(boundary), resourcePolicy);
    }

    public AuthorizationRequest withResourcePolicy(NamedPolicy policy) {
        return new AuthorizationRequest(principal, action, resource, resourceAccount, context, identityPolicies, sessionPolicies, permissionsBoundary, Optional.of(policy));
    }

    public AuthorizationRequest withResourceAccount(String account) {
        return new AuthorizationRequest(principal, action, resource, account, context, identityPolicies, sessionPolicies, permissionsBoundary, resourcePolicy);
    }

    boolean crossAccount() {
        return principal instanceof Principal.Aws a && !resourceAccount.isEmpty() && !resourceAccount.equals(a.account());
    }
}
