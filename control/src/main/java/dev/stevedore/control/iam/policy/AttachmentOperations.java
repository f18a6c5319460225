package dev.stevedore.control.iam.policy;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.iam.Entities;
import dev.stevedore.control.iam.EntityKind;
import dev.stevedore.control.iam.IamArns;
import dev.stevedore.control.iam.IamCall;
import dev.stevedore.control.iam.IamEntity;
import dev.stevedore.control.iam.IamErrors;
import dev.stevedore.control.iam.query.Listing;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.iam.AttachRolePolicyRequest;
import dev.stevedore.model.iam.AttachUserPolicyRequest;
import dev.stevedore.model.iam.AttachedPolicy;
import dev.stevedore.model.iam.DetachRolePolicyRequest;
import dev.stevedore.model.iam.DetachUserPolicyRequest;
import dev.stevedore.model.iam.ListAttachedRolePoliciesRequest;
import dev.stevedore.model.iam.ListAttachedRolePoliciesResponse;
import dev.stevedore.model.iam.ListAttachedUserPoliciesRequest;
import dev.stevedore.model.iam.ListAttachedUserPoliciesResponse;
import dev.stevedore.model.iam.ListEntitiesForPolicyRequest;
import dev.stevedore.model.iam.ListEntitiesForPolicyResponse;
import dev.stevedore.model.iam.PolicyRole;
import dev.stevedore.model.iam.PolicyUsageType;
import dev.stevedore.model.iam.PolicyUser;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Attaching managed policies to users and roles, and the listings of who has what. Attaching and
 * detaching write both the entity's record and the policy's in one transaction.
 */
public final class AttachmentOperations {
    private final StateStore store;

    public AttachmentOperations(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "AttachUserPolicy", Operations.typed(AttachUserPolicyRequest.class, (ctx, r) -> attach(ctx, EntityKind.USER, r.userName(), r.policyArn())),
                "AttachRolePolicy", Operations.typed(AttachRolePolicyRequest.class, (ctx, r) -> attach(ctx, EntityKind.ROLE, r.roleName(), r.policyArn())),
                "DetachUserPolicy", Operations.typed(DetachUserPolicyRequest.class, (ctx, r) -> detach(ctx, EntityKind.USER, r.userName(), r.policyArn())),
                "DetachRolePolicy", Operations.typed(DetachRolePolicyRequest.class, (ctx, r) -> detach(ctx, EntityKind.ROLE, r.roleName(), r.policyArn())),
                "ListAttachedUserPolicies", Operations.typed(ListAttachedUserPoliciesRequest.class, (ctx, r) -> {
                    Listing.Page<AttachedPolicy> page = listAttached(ctx, EntityKind.USER, r.userName(), r.pathPrefix(), r.marker(), r.maxItems());
                    return new ListAttachedUserPoliciesResponse(page.items(), page.isTruncated(), page.markerOrNull());
                }),
                "ListAttachedRolePolicies", Operations.typed(ListAttachedRolePoliciesRequest.class, (ctx, r) -> {
                    Listing.Page<AttachedPolicy> page = listAttached(ctx, EntityKind.ROLE, r.roleName(), r.pathPrefix(), r.marker(), r.maxItems());
                    return new ListAttachedRolePoliciesResponse(page.items(), page.isTruncated(), page.markerOrNull());
                }),
                "ListEntitiesForPolicy", Operations.typed(ListEntitiesForPolicyRequest.class, this::listEntities));
    }

    private Object attach(CallContext ctx, EntityKind kind, String name, String policyArn) {
        String account = IamCall.account(ctx);
        ManagedPolicyOperations.checkedArn(policyArn);
        StoreTx.run(store, tx -> {
            IamEntity entity = Entities.require(tx, account, kind, name);
            PolicyRecord policy = ManagedPolicies.find(tx, account, policyArn)
                    .orElseThrow(() -> IamErrors.notAttachable(policyArn));
            if (entity.grants().attached().contains(policyArn)) {
                return null;  // IAM answers attaching again as success
            }
            if (entity.grants().attached().size() >= EntityKind.ATTACHED_LIMIT) {
                throw IamErrors.quota(kind.attachedQuota, EntityKind.ATTACHED_LIMIT);
            }
            Entities.put(tx, account, entity.withGrants(entity.grants().withAttached(policyArn)));
            ManagedPolicies.put(tx, account, policy.attached(new EntityRef(kind, entity.name(), entity.id())));
            return null;
        });
        return null;
    }

    private Object detach(CallContext ctx, EntityKind kind, String name, String policyArn) {
        String account = IamCall.account(ctx);
        ManagedPolicyOperations.checkedArn(policyArn);
        StoreTx.run(store, tx -> {
            IamEntity entity = Entities.require(tx, account, kind, name);
            if (!entity.grants().attached().contains(policyArn)) {
                throw IamErrors.noSuchPolicy(policyArn);
            }
            Entities.put(tx, account, entity.withGrants(entity.grants().withoutAttached(policyArn)));
            ManagedPolicies.find(tx, account, policyArn)
                    .ifPresent(p -> ManagedPolicies.put(tx, account, p.detached(kind, entity.name())));
            return null;
        });
        return null;
    }

    private Listing.Page<AttachedPolicy> listAttached(CallContext ctx, EntityKind kind, String name, String pathPrefix,
                                                     String marker, Integer maxItems) {
        IamEntity entity = Entities.read(store, IamCall.account(ctx), kind, name);
        List<IamArns.Parsed> attached = entity.grants().attached().stream()
                .map(arn -> IamArns.parse(arn).orElseThrow())
                .sorted(Comparator.comparing(AttachmentOperations::sortKey))
                .toList();
        List<IamArns.Parsed> underPath = Listing.underPath(attached, IamArns.Parsed::path, pathPrefix);
        Listing.Page<IamArns.Parsed> page = Listing.page(underPath, AttachmentOperations::sortKey, marker, maxItems);
        List<AttachedPolicy> items = page.items().stream()
                .map(a -> new AttachedPolicy(IamArns.of(a.account(), a.kind(), a.path(), a.name()), a.name()))
                .toList();
        return new Listing.Page<>(items, page.isTruncated(), page.marker());
    }

    private ListEntitiesForPolicyResponse listEntities(CallContext ctx, ListEntitiesForPolicyRequest request) {
        String account = IamCall.account(ctx);
        String arn = ManagedPolicyOperations.checkedArn(request.policyArn());
        PolicyRecord policy = ManagedPolicies.find(store, account, arn).orElseThrow(() -> IamErrors.noSuchPolicy(arn));
        String usage = request.policyUsageFilter();
        List<EntityRef> refs = new ArrayList<>();
        if (usage == null || usage.equals(PolicyUsageType.PERMISSIONS_POLICY)) {
            refs.addAll(policy.attachedTo());
        }
        if (usage == null || usage.equals(PolicyUsageType.PERMISSIONS_BOUNDARY)) {
            policy.boundaryOf().stream().filter(r -> !refs.contains(r)).forEach(refs::add);
        }
        String filter = request.entityFilter();
        List<IamEntity> entities = refs.stream()
                .filter(r -> filter == null || filter.equals(r.kind().entityType))
                .map(r -> readQuietly(account, r))
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing(AttachmentOperations::sortKey))
                .toList();
        List<IamEntity> underPath = Listing.underPath(entities, IamEntity::path, request.pathPrefix());
        Listing.Page<IamEntity> page = Listing.page(underPath, AttachmentOperations::sortKey, request.marker(), request.maxItems());
        List<PolicyUser> users = page.items().stream().filter(e -> e.kind() == EntityKind.USER)
                .map(e -> new PolicyUser(e.id(), e.name())).toList();
        List<PolicyRole> roles = page.items().stream().filter(e -> e.kind() == EntityKind.ROLE)
                .map(e -> new PolicyRole(e.id(), e.name())).toList();
        // Stevedore has no groups; the member is answered, empty, as IAM does for a policy attached to none.
        return new ListEntitiesForPolicyResponse(page.isTruncated(), page.markerOrNull(), List.of(), roles, users);
    }

    private Optional<IamEntity> readQuietly(String account, EntityRef ref) {
        return store.get(ref.kind().key(account, ref.name()))
                .map(kv -> (IamEntity) Records.decode(kv.value(), ref.kind().recordType()));
    }

    private static String sortKey(IamArns.Parsed a) {
        return a.name().toLowerCase(Locale.ROOT) + "\n" + a.account();
    }

    private static String sortKey(IamEntity e) {
        return e.kind().entityType + "\n" + e.name().toLowerCase(Locale.ROOT);
    }
}
