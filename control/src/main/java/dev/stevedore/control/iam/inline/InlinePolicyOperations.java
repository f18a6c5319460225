package dev.stevedore.control.iam.inline;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.iam.Entities;
import dev.stevedore.control.iam.EntityKind;
import dev.stevedore.control.iam.IamCall;
import dev.stevedore.control.iam.IamEntity;
import dev.stevedore.control.iam.PolicyText;
import dev.stevedore.control.iam.query.Listing;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.iam.DeleteRolePolicyRequest;
import dev.stevedore.model.iam.DeleteUserPolicyRequest;
import dev.stevedore.model.iam.GetRolePolicyRequest;
import dev.stevedore.model.iam.GetRolePolicyResponse;
import dev.stevedore.model.iam.GetUserPolicyRequest;
import dev.stevedore.model.iam.GetUserPolicyResponse;
import dev.stevedore.model.iam.ListRolePoliciesRequest;
import dev.stevedore.model.iam.ListRolePoliciesResponse;
import dev.stevedore.model.iam.ListUserPoliciesRequest;
import dev.stevedore.model.iam.ListUserPoliciesResponse;
import dev.stevedore.model.iam.PutRolePolicyRequest;
import dev.stevedore.model.iam.PutUserPolicyRequest;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Put, Get, List and Delete of the inline policies of users and roles. */
public final class InlinePolicyOperations {
    private final StateStore store;

    public InlinePolicyOperations(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "PutUserPolicy", Operations.typed(PutUserPolicyRequest.class, (ctx, r) -> put(ctx, EntityKind.USER, r.userName(), r.policyName(), r.policyDocument())),
                "PutRolePolicy", Operations.typed(PutRolePolicyRequest.class, (ctx, r) -> put(ctx, EntityKind.ROLE, r.roleName(), r.policyName(), r.policyDocument())),
                "GetUserPolicy", Operations.typed(GetUserPolicyRequest.class, (ctx, r) -> {
                    String document = get(ctx, EntityKind.USER, r.userName(), r.policyName());
                    return new GetUserPolicyResponse(document, r.policyName(), r.userName());
                }),
                "GetRolePolicy", Operations.typed(GetRolePolicyRequest.class, (ctx, r) -> {
                    String document = get(ctx, EntityKind.ROLE, r.roleName(), r.policyName());
                    return new GetRolePolicyResponse(document, r.policyName(), r.roleName());
                }),
                "ListUserPolicies", Operations.typed(ListUserPoliciesRequest.class, (ctx, r) -> {
                    Listing.Page<String> page = list(ctx, EntityKind.USER, r.userName(), r.marker(), r.maxItems());
                    return new ListUserPoliciesResponse(page.isTruncated(), page.markerOrNull(), page.items());
                }),
                "ListRolePolicies", Operations.typed(ListRolePoliciesRequest.class, (ctx, r) -> {
                    Listing.Page<String> page = list(ctx, EntityKind.ROLE, r.roleName(), r.marker(), r.maxItems());
                    return new ListRolePoliciesResponse(page.isTruncated(), page.markerOrNull(), page.items());
                }),
                "DeleteUserPolicy", Operations.typed(DeleteUserPolicyRequest.class, (ctx, r) -> delete(ctx, EntityKind.USER, r.userName(), r.policyName())),
                "DeleteRolePolicy", Operations.typed(DeleteRolePolicyRequest.class, (ctx, r) -> delete(ctx, EntityKind.ROLE, r.roleName(), r.policyName())));
    }

    private Object put(CallContext ctx, EntityKind kind, String name, String policyName, String document) {
        String account = IamCall.account(ctx);
        PolicyText.checkGrammar(document);
        StoreTx.run(store, tx -> {
            IamEntity entity = Entities.require(tx, account, kind, name);
            List<String> others = new ArrayList<>();
            entity.grants().inline().forEach((n, d) -> {
                if (!n.equals(policyName)) {
                    others.add(d);
                }
            });
            PolicyText.checkInline(document, others, kind.inlineLimit, kind.noun, entity.name());
            Entities.put(tx, account, entity.withGrants(entity.grants().withInline(policyName, document)));
            return null;
        });
        return null;
    }

    /** The document, URL-encoded as IAM answers it. */
    private String get(CallContext ctx, EntityKind kind, String name, String policyName) {
        IamEntity entity = Entities.read(store, IamCall.account(ctx), kind, name);
        String document = entity.grants().inline().get(policyName);
        if (document == null) {
            throw kind.noSuchInlinePolicy(policyName);
        }
        return PolicyText.encoded(document);
    }

    private Listing.Page<String> list(CallContext ctx, EntityKind kind, String name, String marker, Integer maxItems) {
        IamEntity entity = Entities.read(store, IamCall.account(ctx), kind, name);
        return Listing.page(List.copyOf(entity.grants().inline().keySet()), n -> n, marker, maxItems);
    }

    private Object delete(CallContext ctx, EntityKind kind, String name, String policyName) {
        String account = IamCall.account(ctx);
        StoreTx.run(store, tx -> {
            IamEntity entity = Entities.require(tx, account, kind, name);
            if (!entity.grants().inline().containsKey(policyName)) {
                throw kind.noSuchInlinePolicy(policyName);
            }
            Entities.put(tx, account, entity.withGrants(entity.grants().withoutInline(policyName)));
            return null;
        });
        return null;
    }
}
