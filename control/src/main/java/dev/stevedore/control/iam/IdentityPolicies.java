package dev.stevedore.control.iam;

import dev.stevedore.control.iam.policy.ManagedPolicies;
import dev.stevedore.control.iam.policy.PolicyRecord;
import dev.stevedore.control.iam.role.RoleRecord;
import dev.stevedore.control.state.Records;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the authorizer needs of an IAM identity: the documents of its inline and attached managed
 * policies (each managed policy's default version), its permissions boundary, and for a role its
 * trust policy and MaxSessionDuration. Read from the store at each call; documents as given, not
 * URL-encoded.
 */
public final class IdentityPolicies {
    /** A policy by name: an inline policy's name, or a managed policy's ARN. */
    public record NamedPolicy(String name, String document) {
    }

    /** A role's trust policy and the longest session it allows, in seconds. */
    public record RoleTrust(String document, int maxSessionDuration) {
    }

    /**
     * @param arn                 the user's or role's ARN
     * @param id                  its unique id ({@code AIDA...}, {@code AROA...})
     * @param name                its name
     * @param policies            its inline policies (by name), then its attached managed policies (by ARN)
     * @param permissionsBoundary the managed policy bounding it, if any (by ARN)
     * @param trust               present for a role
     */
    public record Identity(String arn, String id, String name, EntityKind kind, List<NamedPolicy> policies,
                           Optional<NamedPolicy> permissionsBoundary, Optional<RoleTrust> trust) {
    }

    private final StateStore store;
    private final Clock clock;

    public IdentityPolicies(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * The identity an IAM user or role ARN names ({@code arn:aws:iam::123456789012:role/path/name}),
     * or empty when there is none such (another kind of ARN, or no user or role with that exact ARN).
     */
    public Optional<Identity> of(String principalArn) {
        Optional<IamArns.Parsed> parsed = IamArns.parse(principalArn);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        String account = parsed.get().account();
        EntityKind kind = switch (parsed.get().kind()) {
            case "user" -> EntityKind.USER;
            case "role" -> EntityKind.ROLE;
            default -> null;
        };
        if (kind == null || !account.matches("\\d{12}")) {
            return Optional.empty();
        }
        AccountDefaults.ensure(store, account, clock);
        return store.get(kind.key(account, parsed.get().name()))
                .map(kv -> (IamEntity) Records.decode(kv.value(), kind.recordType()))
                .filter(e -> e.arn().equals(principalArn))
                .map(e -> identity(account, e));
    }

    /**
     * A role found by name, for callers that know it only so: an assumed-role session's ARN
     * ({@code arn:aws:sts::{account}:assumed-role/{name}/{session}}) carries no path.
     */
    public Optional<Identity> ofRole(String account, String roleName) {
        if (!account.matches("\\d{12}")) {
            return Optional.empty();
        }
        AccountDefaults.ensure(store, account, clock);
        return store.get(IamKeys.role(account, roleName))
                .map(kv -> Records.decode(kv.value(), RoleRecord.class))
                .map(role -> identity(account, role));
    }

    private Identity identity(String account, IamEntity entity) {
        List<NamedPolicy> policies = new ArrayList<>();
        for (Map.Entry<String, String> inline : entity.grants().inline().entrySet()) {
            policies.add(new NamedPolicy(inline.getKey(), inline.getValue()));
        }
        for (String arn : entity.grants().attached()) {
            managed(account, arn).ifPresent(policies::add);
        }
        Optional<NamedPolicy> boundary = Optional.ofNullable(entity.boundary())
                .flatMap(b -> managed(account, b.permissionsBoundaryArn()));
        Optional<RoleTrust> trust = entity instanceof RoleRecord role
                ? Optional.of(new RoleTrust(role.role().assumeRolePolicyDocument(), role.role().maxSessionDuration()))
                : Optional.empty();
        return new Identity(entity.arn(), entity.id(), entity.name(), entity.kind(), List.copyOf(policies), boundary, trust);
    }

    /** A managed policy's default version, by ARN (a session policy named by ARN). */
    public Optional<NamedPolicy> managedPolicy(String account, String arn) {
        if (!account.matches("\\d{12}")) {
            return Optional.empty();
        }
        AccountDefaults.ensure(store, account, clock);
        return managed(account, arn);
    }

    private Optional<NamedPolicy> managed(String account, String arn) {
        return ManagedPolicies.find(store, account, arn)
                .map(PolicyRecord::defaultVersion)
                .map(v -> new NamedPolicy(arn, v.document()));
    }
}
