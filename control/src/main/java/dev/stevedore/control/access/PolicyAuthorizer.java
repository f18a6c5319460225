package dev.stevedore.control.access;

import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.Authorizer;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.PrincipalSession;
import dev.stevedore.control.sts.AssumableRole;
import dev.stevedore.policy.AuthorizationRequest;
import dev.stevedore.policy.Decision;
import dev.stevedore.policy.MalformedPolicyException;
import dev.stevedore.policy.NamedPolicy;
import dev.stevedore.policy.PolicyDocument;
import dev.stevedore.policy.PolicyEvaluator;
import dev.stevedore.policy.PolicyKind;
import dev.stevedore.policy.RequestContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authorizer of every call by a principal other than the root: the caller's identity policies
 * (a role session's are its role's), narrowed by its permissions boundary and its session policies,
 * evaluated with the request's condition keys and the global ones AWS sets ({@code aws:PrincipalArn},
 * {@code aws:SourceIp}, {@code aws:CurrentTime}, ...), by the pure {@link PolicyEvaluator}.
 *
 * <p>A principal's policies are read once and kept while {@link PolicySource#version()} stays the
 * same, so a call pays for evaluation only; an IAM write makes the next call of each principal read
 * again. Session policies travel in the session token: inline ones are parsed once per text, managed
 * ones (by ARN) read once per IAM version.
 */
public final class PolicyAuthorizer implements Authorizer {
    private static final int MAX_CACHED = 10_000;
    private static final String ASSUME_ROLE = "sts:AssumeRole";
    /** Not an account id: makes the evaluator require both sides, as it does across accounts. */
    private static final String TRUSTING_ACCOUNT = "role-trust";
    private static final String DENY_ALL =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

    private final PolicySource source;
    private final Clock clock;
    private final Map<String, Cached> byIdentity = new ConcurrentHashMap<>();
    private final Map<String, List<NamedPolicy>> inlineSessionPolicies = new ConcurrentHashMap<>();
    private final Map<String, NamedPolicy> trustPolicies = new ConcurrentHashMap<>();
    private final Map<String, CachedPolicy> managedSessionPolicies = new ConcurrentHashMap<>();

    public PolicyAuthorizer(PolicySource source, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<String> denial(CallContext ctx, AccessRequest request) {
        return decide(ctx, request).denialReason(request.action());
    }

    /** The evaluator's decision for one request of one call. */
    public Decision decide(CallContext ctx, AccessRequest request) {
        return PolicyEvaluator.evaluate(callersRequest(ctx, request.action(), request.resource(), request.conditionKeys()));
    }

    /**
     * What the evaluator is asked about the caller of {@code ctx}: its identity policies (a session's
     * role's), permissions boundary and session policies, with the call's condition keys.
     */
    private AuthorizationRequest callersRequest(CallContext ctx, String action, String resource,
                                                Map<String, List<String>> keys) {
        Principal caller = ctx.principal();
        String identityArn = caller.session().map(PrincipalSession::identityArn).orElse(caller.arn());
        PolicySource.PrincipalPolicies policies = policiesOf(caller.accountId(), identityArn);
        AuthorizationRequest evaluated = AuthorizationRequest.of(evaluatorPrincipal(caller), action, resource,
                context(ctx, keys), policies.policies());
        if (policies.permissionsBoundary().isPresent()) {
            evaluated = evaluated.withPermissionsBoundary(policies.permissionsBoundary().get());
        }
        if (caller.session().filter(PrincipalSession::hasSessionPolicies).isPresent()) {
            evaluated = evaluated.withSessionPolicies(sessionPolicies(caller.accountId(), caller.session().get()));
        }
        return evaluated;
    }

    /**
     * Whether a caller may assume a role: {@code sts:AssumeRole} on the role, with its trust policy as the
     * resource-based policy (within the account, the trust policy naming the caller suffices; naming the
     * account needs the caller's own policies to allow it too, which the evaluator decides).
     */
    public Optional<String> assumeRoleDenial(CallContext ctx, AssumableRole role, Map<String, List<String>> keys) {
        Principal caller = ctx.principal();
        AuthorizationRequest evaluated = callersRequest(ctx, ASSUME_ROLE, role.arn(), keys)
                .withResourcePolicy(trustPolicy(role));
        Decision decision = PolicyEvaluator.evaluate(evaluated);
        if (decision.verdict() == Decision.Verdict.EXPLICIT_DENY) {
            return decision.denialReason(ASSUME_ROLE);
        }
        // Unlike other resource-based policies, a trust policy must always allow: the caller's own
        // policies never suffice alone, even within the account. A trust policy naming the caller
        // itself is enough; one naming the account needs the caller's policies too — which is how
        // the evaluator judges a request whose resource lies in another account.
        Decision trustAlone = PolicyEvaluator.evaluate(AuthorizationRequest.of(evaluatorPrincipal(caller), ASSUME_ROLE,
                role.arn(), context(ctx, keys), List.of()).withResourcePolicy(trustPolicy(role)));
        if (trustAlone.allowed()) {
            return Optional.empty();
        }
        return PolicyEvaluator.evaluate(evaluated.withResourceAccount(TRUSTING_ACCOUNT)).denialReason(ASSUME_ROLE);
    }

    /** Whether an AWS service (ECS for a task role: {@code ecs-tasks.amazonaws.com}) may assume a role. */
    public boolean serviceMayAssume(String service, AssumableRole role) {
        AuthorizationRequest evaluated = AuthorizationRequest.of(dev.stevedore.policy.Principal.service(service),
                ASSUME_ROLE, role.arn(), RequestContext.builder().put("aws:CurrentTime", clock.instant().toString())
                        .build(), List.of()).withResourcePolicy(trustPolicy(role));
        return PolicyEvaluator.evaluate(evaluated).allowed();
    }

    /**
     * Whether a session of {@code roleArn} may do {@code action} on {@code resource} of its own account,
     * with {@code resourcePolicy} as the resource's policy ("" for none): within one account, either the
     * role's policies or the resource's allowing suffices, and an explicit deny in either wins.
     */
    public boolean roleMayAct(String roleArn, String action, String resource, String resourcePolicy) {
        String accountId = roleArn.split(":", 6)[4];
        PolicySource.PrincipalPolicies policies = policiesOf(accountId, roleArn);
        RequestContext context = RequestContext.builder().put("aws:PrincipalArn", roleArn)
                .put("aws:PrincipalAccount", accountId).put("aws:PrincipalType", "AssumedRole")
                .put("aws:CurrentTime", clock.instant().toString()).build();
        AuthorizationRequest request = AuthorizationRequest.of(
                dev.stevedore.policy.Principal.roleSession(accountId, roleArn, roleArn), action, resource, context,
                policies.policies());
        if (policies.permissionsBoundary().isPresent()) {
            request = request.withPermissionsBoundary(policies.permissionsBoundary().get());
        }
        if (!resourcePolicy.isEmpty()) {
            try {
                request = request.withResourcePolicy(new NamedPolicy(resource + " policy",
                        PolicyDocument.parse(resourcePolicy, PolicyKind.RESOURCE)));
            } catch (MalformedPolicyException e) {
                // The service checked it when it was stored; one that no longer parses grants nothing.
                return false;
            }
        }
        return PolicyEvaluator.evaluate(request).allowed();
    }

    private NamedPolicy trustPolicy(AssumableRole role) {
        return trustPolicies.computeIfAbsent(role.trustPolicy(), text -> {
            try {
                return new NamedPolicy(role.arn() + " trust policy", PolicyDocument.parse(text, PolicyKind.TRUST));
            } catch (MalformedPolicyException e) {
                // IAM checked it when it was stored; one that no longer parses trusts no one.
                return new NamedPolicy(role.arn() + " trust policy", PolicyDocument.parse(DENY_ALL, PolicyKind.SESSION));
            }
        });
    }

    /**
     * The evaluator's view of a caller: a role session is its role (for {@code aws:PrincipalArn} and for
     * policies naming the role) with its own session ARN.
     */
    static dev.stevedore.policy.Principal evaluatorPrincipal(Principal caller) {
        if (caller.isRoot()) {
            return dev.stevedore.policy.Principal.root(caller.accountId());
        }
        if (caller.session().isPresent() && caller.arn().startsWith("arn:aws:sts::")) {
            return dev.stevedore.policy.Principal.roleSession(caller.accountId(),
                    caller.session().get().identityArn(), caller.arn());
        }
        return dev.stevedore.policy.Principal.user(caller.accountId(), caller.arn());
    }

    /** The global condition keys of a call, then the request's own. */
    RequestContext context(CallContext ctx, Map<String, List<String>> requestKeys) {
        Principal caller = ctx.principal();
        Instant now = clock.instant();
        boolean roleSession = caller.arn().startsWith("arn:aws:sts::");
        RequestContext.Builder keys = RequestContext.builder()
                .put("aws:PrincipalArn", caller.session().filter(s -> roleSession).map(PrincipalSession::identityArn)
                        .orElse(caller.arn()))
                .put("aws:PrincipalAccount", caller.accountId())
                .put("aws:PrincipalType", caller.isRoot() ? "Account" : roleSession ? "AssumedRole" : "User")
                .put("aws:CurrentTime", now.toString())
                .put("aws:EpochTime", now.getEpochSecond())
                .put("aws:SecureTransport", false)
                .put("aws:RequestedRegion", ctx.region());
        caller.session().ifPresent(session -> keys.put("aws:userid", session.userId())
                .put("aws:TokenIssueTime", session.issuedAt().toString())
                .put("aws:MultiFactorAuthPresent", false));
        if (!roleSession && !caller.isRoot()) {
            keys.put("aws:username", caller.arn().substring(caller.arn().lastIndexOf('/') + 1));
        }
        ctx.sourceIp().ifPresent(ip -> keys.put("aws:SourceIp", ip));
        requestKeys.forEach(keys::putAll);
        return keys.build();
    }

    private PolicySource.PrincipalPolicies policiesOf(String accountId, String identityArn) {
        long version = source.version();
        Cached cached = byIdentity.get(identityArn);
        if (cached != null && cached.version() == version) {
            return cached.policies();
        }
        PolicySource.PrincipalPolicies read = source.of(accountId, identityArn);
        if (byIdentity.size() >= MAX_CACHED) {
            byIdentity.clear();
        }
        byIdentity.put(identityArn, new Cached(version, read));
        return read;
    }

    /** A managed session policy, read once per IAM version like a principal's own policies. */
    private Optional<NamedPolicy> managedSessionPolicy(String accountId, String policyArn) {
        long version = source.version();
        CachedPolicy cached = managedSessionPolicies.get(policyArn);
        if (cached != null && cached.version() == version) {
            return cached.policy();
        }
        Optional<NamedPolicy> read = source.managedPolicy(accountId, policyArn);
        if (managedSessionPolicies.size() >= MAX_CACHED) {
            managedSessionPolicies.clear();
        }
        managedSessionPolicies.put(policyArn, new CachedPolicy(version, read));
        return read;
    }

    private List<NamedPolicy> sessionPolicies(String accountId, PrincipalSession session) {
        List<NamedPolicy> policies = new ArrayList<>();
        session.policy().ifPresent(text -> policies.addAll(inlineSessionPolicies.computeIfAbsent(text,
                t -> parsedSessionPolicy(t))));
        for (String arn : session.policyArns()) {
            managedSessionPolicy(accountId, arn).ifPresent(policies::add);
        }
        if (inlineSessionPolicies.size() >= MAX_CACHED || trustPolicies.size() >= MAX_CACHED) {
            inlineSessionPolicies.clear();
            trustPolicies.clear();
        }
        return policies;
    }

    // STS checked the policy when it issued the token; one that no longer parses grants nothing.
    private static List<NamedPolicy> parsedSessionPolicy(String text) {
        try {
            return List.of(new NamedPolicy("session policy", PolicyDocument.parse(text, PolicyKind.SESSION)));
        } catch (MalformedPolicyException e) {
            return List.of(new NamedPolicy("session policy", PolicyDocument.parse(DENY_ALL, PolicyKind.SESSION)));
        }
    }

    private record Cached(long version, PolicySource.PrincipalPolicies policies) {
    }

    private record CachedPolicy(long version, Optional<NamedPolicy> policy) {
    }
}
