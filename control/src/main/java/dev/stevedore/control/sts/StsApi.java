package dev.stevedore.control.sts;

import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.ServiceSpec;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.model.sts.AssumeRoleRequest;
import dev.stevedore.model.sts.AssumeRoleResponse;
import dev.stevedore.model.sts.AssumedRoleUser;
import dev.stevedore.model.sts.Credentials;
import dev.stevedore.model.sts.GetCallerIdentityResponse;
import dev.stevedore.model.sts.GetSessionTokenRequest;
import dev.stevedore.model.sts.GetSessionTokenResponse;
import dev.stevedore.model.sts.PolicyDescriptorType;
import dev.stevedore.policy.MalformedPolicyException;
import dev.stevedore.policy.PolicyDocument;
import dev.stevedore.policy.PolicyKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * STS: who am I (GetCallerIdentity), temporary credentials of a role (AssumeRole) or of oneself
 * (GetSessionToken). Credentials come from {@link SessionTokens}, so nothing is stored.
 *
 * <p>None of the three is checked at the edge: GetCallerIdentity and GetSessionToken need no
 * permission on AWS, and AssumeRole is decided here, by the role's trust policy together with the
 * caller's policies ({@link TrustDecision}), which an identity-only check at the edge could not do.
 */
public final class StsApi {
    public static final String SPEC_NAME = "sts-2011-06-15";

    static final Duration MIN_DURATION = Duration.ofMinutes(15);
    static final Duration DEFAULT_ROLE_DURATION = Duration.ofHours(1);
    static final Duration ROLE_CHAINING_LIMIT = Duration.ofHours(1);
    static final Duration USER_SESSION_DEFAULT = Duration.ofHours(12);
    static final Duration USER_SESSION_MAX = Duration.ofHours(36);
    static final Duration ROOT_SESSION_MAX = Duration.ofHours(1);
    // Session policies are limited in their packed size; IAM's plain-text limit (2,048 characters
    // without whitespace) is how Stevedore measures it, so 100% = 2,048 characters.
    static final int SESSION_POLICY_LIMIT = 2048;
    static final int MAX_SESSION_POLICY_ARNS = 10;

    private final ServiceSpec spec = ServiceSpec.load(SPEC_NAME);
    private final SessionTokens tokens;
    private final IdentityDirectory identities;
    private final TrustDecision trust;
    private final Clock clock;

    public StsApi(SessionTokens tokens, IdentityDirectory identities, TrustDecision trust, Clock clock) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.identities = Objects.requireNonNull(identities, "identities");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ServiceSpec spec() {
        return spec;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "GetCallerIdentity", (ctx, input) -> callerIdentity(ctx),
                "AssumeRole", Operations.typed(AssumeRoleRequest.class, this::assumeRole),
                "GetSessionToken", Operations.typed(GetSessionTokenRequest.class, this::sessionToken));
    }

    /** No STS operation is checked at the edge (see the class comment). */
    public Map<String, AccessRule> accessRules() {
        AccessRule none = (ctx, input) -> List.of();
        return Map.of("GetCallerIdentity", none, "AssumeRole", none, "GetSessionToken", none);
    }

    GetCallerIdentityResponse callerIdentity(CallContext ctx) {
        Principal caller = ctx.principal();
        String userId = caller.session().map(session -> session.userId())
                .or(() -> caller.isRoot() ? Optional.of(caller.accountId()) : identities.userId(caller.accountId(), caller.arn()))
                // A user deleted after signing: its keys no longer verify, so this is only a race.
                .orElse(caller.accountId());
        return GetCallerIdentityResponse.builder().account(caller.accountId()).arn(caller.arn()).userId(userId).build();
    }

    AssumeRoleResponse assumeRole(CallContext ctx, AssumeRoleRequest request) {
        Principal caller = ctx.principal();
        if (caller.isRoot()) {
            throw new AwsException("AccessDenied", 403, "Roles may not be assumed by root accounts.");
        }
        Map<String, List<String>> keys = new HashMap<>();
        Optional.ofNullable(request.externalId()).ifPresent(id -> keys.put("sts:ExternalId", List.of(id)));
        Optional.ofNullable(request.roleSessionName()).ifPresent(name -> keys.put("sts:RoleSessionName", List.of(name)));
        Optional.ofNullable(request.sourceIdentity()).ifPresent(id -> keys.put("sts:SourceIdentity", List.of(id)));
        // An unknown role is denied in the same words as a role that does not trust the caller: AWS does not
        // tell callers which roles exist.
        AssumableRole role = identities.role(caller.accountId(), request.roleArn())
                .filter(found -> trust.denial(ctx, found, keys).isEmpty())
                .orElseThrow(() -> new AwsException("AccessDenied", 403, "User: " + caller.arn()
                        + " is not authorized to perform: sts:AssumeRole on resource: " + request.roleArn()));
        Duration duration = Optional.ofNullable(request.durationSeconds()).map(s -> Duration.ofSeconds(s))
                .orElse(DEFAULT_ROLE_DURATION);
        if (duration.compareTo(role.maxSessionDuration()) > 0) {
            throw validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        boolean chained = caller.arn().startsWith("arn:aws:sts::");
        if (chained && duration.compareTo(ROLE_CHAINING_LIMIT) > 0) {
            throw validation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
        }
        Optional<String> policy = Optional.ofNullable(request.policy());
        Optional<Integer> packedSize = policy.map(StsApi::packedPolicySize);
        List<String> policyArns = Optional.ofNullable(request.policyArns()).orElse(List.of()).stream()
                .map(PolicyDescriptorType::arn).filter(Objects::nonNull).toList();
        if (policyArns.size() > MAX_SESSION_POLICY_ARNS) {
            throw validation("1 validation error detected: Value at 'policyArns' failed to satisfy constraint: "
                    + "Member must have length less than or equal to " + MAX_SESSION_POLICY_ARNS);
        }
        String sessionName = request.roleSessionName();
        Instant now = clock.instant();
        TemporaryCredentials credentials = tokens.issue(new SessionGrant(caller.accountId(),
                "arn:aws:sts::" + caller.accountId() + ":assumed-role/" + role.name() + "/" + sessionName,
                role.arn(), role.roleId() + ":" + sessionName, now, now.plus(duration), policy, policyArns));
        return AssumeRoleResponse.builder()
                .credentials(wire(credentials))
                .assumedRoleUser(AssumedRoleUser.builder()
                        .assumedRoleId(role.roleId() + ":" + sessionName)
                        .arn("arn:aws:sts::" + caller.accountId() + ":assumed-role/" + role.name() + "/" + sessionName)
                        .build())
                .packedPolicySize(packedSize.orElse(null))
                .sourceIdentity(request.sourceIdentity())
                .build();
    }

    GetSessionTokenResponse sessionToken(CallContext ctx, GetSessionTokenRequest request) {
        Principal caller = ctx.principal();
        if (caller.session().isPresent()) {
            throw new AwsException("AccessDenied", 403, "Cannot call GetSessionToken with session credentials");
        }
        Duration max = caller.isRoot() ? ROOT_SESSION_MAX : USER_SESSION_MAX;
        Duration duration = Optional.ofNullable(request.durationSeconds()).map(s -> Duration.ofSeconds(s))
                .orElse(caller.isRoot() ? ROOT_SESSION_MAX : USER_SESSION_DEFAULT);
        if (duration.compareTo(max) > 0) {
            throw validation("The requested DurationSeconds exceeds the maximum allowed session duration ("
                    + max.toSeconds() + " seconds).");
        }
        String userId = caller.isRoot() ? caller.accountId()
                : identities.userId(caller.accountId(), caller.arn()).orElse(caller.accountId());
        Instant now = clock.instant();
        TemporaryCredentials credentials = tokens.issue(new SessionGrant(caller.accountId(), caller.arn(), caller.arn(),
                userId, now, now.plus(duration), Optional.empty(), List.of()));
        return GetSessionTokenResponse.builder().credentials(wire(credentials)).build();
    }

    /** The session policy's share of the packed-size limit, in percent; over 100 is refused as AWS does. */
    private static int packedPolicySize(String policy) {
        try {
            PolicyDocument.parse(policy, PolicyKind.SESSION);
        } catch (MalformedPolicyException e) {
            throw new AwsException("MalformedPolicyDocument", 400, e.getMessage());
        }
        long characters = policy.chars().filter(c -> !Character.isWhitespace(c)).count();
        int percent = (int) Math.ceil(characters * 100.0 / SESSION_POLICY_LIMIT);
        if (percent > 100) {
            throw new AwsException("PackedPolicyTooLarge", 400, "Packed policy consumes " + percent
                    + "% of allotted space, please use smaller policy for session.");
        }
        return percent;
    }

    private static Credentials wire(TemporaryCredentials credentials) {
        return Credentials.builder().accessKeyId(credentials.accessKeyId())
                .secretAccessKey(credentials.secretAccessKey()).sessionToken(credentials.sessionToken())
                .expiration(credentials.expiration()).build();
    }

    private static AwsException validation(String message) {
        return AwsException.clientError("ValidationError", message);
    }
}
