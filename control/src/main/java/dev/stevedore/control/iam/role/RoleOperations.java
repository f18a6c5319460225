package dev.stevedore.control.iam.role;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.iam.EntityKind;
import dev.stevedore.control.iam.IamCall;
import dev.stevedore.control.iam.IamErrors;
import dev.stevedore.control.iam.IamKeys;
import dev.stevedore.control.iam.PolicyText;
import dev.stevedore.control.iam.policy.Boundaries;
import dev.stevedore.control.iam.query.Listing;
import dev.stevedore.control.iam.tags.Tags;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.iam.CreateRoleRequest;
import dev.stevedore.model.iam.CreateRoleResponse;
import dev.stevedore.model.iam.DeleteRoleRequest;
import dev.stevedore.model.iam.GetRoleRequest;
import dev.stevedore.model.iam.GetRoleResponse;
import dev.stevedore.model.iam.ListRolesRequest;
import dev.stevedore.model.iam.ListRolesResponse;
import dev.stevedore.model.iam.Role;
import dev.stevedore.model.iam.UpdateAssumeRolePolicyRequest;
import dev.stevedore.model.iam.UpdateRoleRequest;
import dev.stevedore.model.iam.UpdateRoleResponse;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** CreateRole, GetRole, ListRoles, UpdateRole, UpdateAssumeRolePolicy and DeleteRole. */
public final class RoleOperations {
    private final StateStore store;
    private final Clock clock;

    public RoleOperations(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateRole", Operations.typed(CreateRoleRequest.class, this::create),
                "GetRole", Operations.typed(GetRoleRequest.class, this::get),
                "ListRoles", Operations.typed(ListRolesRequest.class, this::list),
                "UpdateRole", Operations.typed(UpdateRoleRequest.class, this::update),
                "UpdateAssumeRolePolicy", Operations.typed(UpdateAssumeRolePolicyRequest.class, this::updateTrust),
                "DeleteRole", Operations.typed(DeleteRoleRequest.class, this::delete));
    }

    CreateRoleResponse create(CallContext ctx, CreateRoleRequest request) {
        String account = IamCall.account(ctx);
        String name = request.roleName();
        PolicyText.checkTrust(request.assumeRolePolicyDocument());
        Tags.check(request.tags(), EntityKind.ROLE.tagQuota);
        RoleRecord fresh = Roles.newRole(account, name, Optional.ofNullable(request.path()).orElse("/"),
                request.assumeRolePolicyDocument(), request.description(), request.maxSessionDuration(), request.tags(),
                clock.instant());
        return StoreTx.run(store, tx -> {
            String key = IamKeys.role(account, name);
            if (tx.read(key, RoleRecord.class).isPresent()) {
                throw IamErrors.alreadyExists("Role with name " + name + " already exists.");
            }
            RoleRecord record = fresh.withRole(fresh.role().toBuilder().permissionsBoundary(
                    Boundaries.attach(tx, account, request.permissionsBoundary(), EntityKind.ROLE, name, fresh.id())).build());
            tx.put(key, record);
            return new CreateRoleResponse(record.role().toBuilder()
                    .assumeRolePolicyDocument(PolicyText.encoded(record.role().assumeRolePolicyDocument()))
                    .build());
        });
    }

    GetRoleResponse get(CallContext ctx, GetRoleRequest request) {
        return new GetRoleResponse(find(store, IamCall.account(ctx), request.roleName())
                .orElseThrow(() -> IamErrors.noSuchRole(request.roleName())).answered());
    }

    ListRolesResponse list(CallContext ctx, ListRolesRequest request) {
        List<RoleRecord> roles = Listing.underPath(
                store.range(IamKeys.roles(IamCall.account(ctx))).stream()
                        .map(kv -> Records.decode(kv.value(), RoleRecord.class))
                        .toList(),
                RoleRecord::path, request.pathPrefix());
        Listing.Page<RoleRecord> page = Listing.page(roles, r -> r.name().toLowerCase(Locale.ROOT), request.marker(), request.maxItems());
        List<Role> listed = page.items().stream().map(RoleRecord::listed).toList();
        return new ListRolesResponse(page.isTruncated(), page.markerOrNull(), listed);
    }

    UpdateRoleResponse update(CallContext ctx, UpdateRoleRequest request) {
        String account = IamCall.account(ctx);
        StoreTx.run(store, tx -> {
            RoleRecord record = require(tx, account, request.roleName());
            Role.Builder next = record.role().toBuilder();
            if (request.description() != null) {
                next.description(request.description());
            }
            if (request.maxSessionDuration() != null) {
                next.maxSessionDuration(request.maxSessionDuration());
            }
            tx.put(IamKeys.role(account, record.name()), record.withRole(next.build()));
            return null;
        });
        return new UpdateRoleResponse();
    }

    Object updateTrust(CallContext ctx, UpdateAssumeRolePolicyRequest request) {
        String account = IamCall.account(ctx);
        PolicyText.checkTrust(request.policyDocument());
        StoreTx.run(store, tx -> {
            RoleRecord record = require(tx, account, request.roleName());
            tx.put(IamKeys.role(account, record.name()),
                    record.withRole(record.role().toBuilder().assumeRolePolicyDocument(request.policyDocument()).build()));
            return null;
        });
        return null;
    }

    Object delete(CallContext ctx, DeleteRoleRequest request) {
        String account = IamCall.account(ctx);
        StoreTx.run(store, tx -> {
            RoleRecord record = require(tx, account, request.roleName());
            if (!record.instanceProfiles().isEmpty()) {
                throw IamErrors.deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
            }
            if (!record.grants().attached().isEmpty()) {
                throw IamErrors.deleteConflict("Cannot delete entity, must detach all policies first.");
            }
            if (!record.grants().inline().isEmpty()) {
                throw IamErrors.deleteConflict("Cannot delete entity, must delete policies first.");
            }
            Boundaries.detach(tx, account, record);
            tx.delete(IamKeys.role(account, record.name()));
            return null;
        });
        return null;
    }

    public static RoleRecord require(StoreTx tx, String account, String name) {
        return tx.read(IamKeys.role(account, name), RoleRecord.class).orElseThrow(() -> IamErrors.noSuchRole(name));
    }

    public static Optional<RoleRecord> find(StateStore store, String account, String name) {
        return store.get(IamKeys.role(account, name)).map(kv -> Records.decode(kv.value(), RoleRecord.class));
    }
}
