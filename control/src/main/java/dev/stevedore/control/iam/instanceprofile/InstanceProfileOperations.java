package dev.stevedore.control.iam.instanceprofile;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.iam.IamCall;
import dev.stevedore.control.iam.IamErrors;
import dev.stevedore.control.iam.IamKeys;
import dev.stevedore.control.iam.query.Listing;
import dev.stevedore.control.iam.role.RoleOperations;
import dev.stevedore.control.iam.role.RoleRecord;
import dev.stevedore.control.iam.tags.Tags;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.iam.AddRoleToInstanceProfileRequest;
import dev.stevedore.model.iam.CreateInstanceProfileRequest;
import dev.stevedore.model.iam.CreateInstanceProfileResponse;
import dev.stevedore.model.iam.DeleteInstanceProfileRequest;
import dev.stevedore.model.iam.GetInstanceProfileRequest;
import dev.stevedore.model.iam.GetInstanceProfileResponse;
import dev.stevedore.model.iam.InstanceProfile;
import dev.stevedore.model.iam.ListInstanceProfilesForRoleRequest;
import dev.stevedore.model.iam.ListInstanceProfilesForRoleResponse;
import dev.stevedore.model.iam.ListInstanceProfilesRequest;
import dev.stevedore.model.iam.ListInstanceProfilesResponse;
import dev.stevedore.model.iam.RemoveRoleFromInstanceProfileRequest;
import dev.stevedore.model.iam.Role;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Instance profiles and the role in each. Adding or removing a role writes the profile and the role
 * (which lists its profiles, so DeleteRole decides on its own record).
 */
public final class InstanceProfileOperations {
    private final StateStore store;
    private final Clock clock;

    public InstanceProfileOperations(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateInstanceProfile", Operations.typed(CreateInstanceProfileRequest.class, this::create),
                "GetInstanceProfile", Operations.typed(GetInstanceProfileRequest.class, this::get),
                "ListInstanceProfiles", Operations.typed(ListInstanceProfilesRequest.class, this::list),
                "DeleteInstanceProfile", Operations.typed(DeleteInstanceProfileRequest.class, this::delete),
                "AddRoleToInstanceProfile", Operations.typed(AddRoleToInstanceProfileRequest.class, this::addRole),
                "RemoveRoleFromInstanceProfile", Operations.typed(RemoveRoleFromInstanceProfileRequest.class, this::removeRole),
                "ListInstanceProfilesForRole", Operations.typed(ListInstanceProfilesForRoleRequest.class, this::listForRole));
    }

    CreateInstanceProfileResponse create(CallContext ctx, CreateInstanceProfileRequest request) {
        String account = IamCall.account(ctx);
        String name = request.instanceProfileName();
        Tags.check(request.tags(), "TagsPerInstanceProfile");
        InstanceProfileRecord profile = InstanceProfiles.newProfile(account, name,
                Optional.ofNullable(request.path()).orElse("/"), request.tags(), clock.instant());
        return StoreTx.run(store, tx -> {
            if (tx.read(IamKeys.instanceProfile(account, name), InstanceProfileRecord.class).isPresent()) {
                throw IamErrors.alreadyExists("Instance Profile " + name + " already exists.");
            }
            tx.put(IamKeys.instanceProfile(account, name), profile);
            return new CreateInstanceProfileResponse(profile.profile().toBuilder().roles(List.of()).build());
        });
    }

    GetInstanceProfileResponse get(CallContext ctx, GetInstanceProfileRequest request) {
        String account = IamCall.account(ctx);
        InstanceProfileRecord profile = find(account, request.instanceProfileName())
                .orElseThrow(() -> IamErrors.noSuchInstanceProfile(request.instanceProfileName()));
        return new GetInstanceProfileResponse(answered(account, profile));
    }

    ListInstanceProfilesResponse list(CallContext ctx, ListInstanceProfilesRequest request) {
        String account = IamCall.account(ctx);
        List<InstanceProfileRecord> all = Listing.underPath(
                store.range(IamKeys.instanceProfiles(account)).stream()
                        .map(kv -> Records.decode(kv.value(), InstanceProfileRecord.class))
                        .toList(),
                p -> p.profile().path(), request.pathPrefix());
        Listing.Page<InstanceProfileRecord> page = Listing.page(all, InstanceProfileOperations::sortKey, request.marker(), request.maxItems());
        List<InstanceProfile> profiles = page.items().stream().map(p -> answered(account, p).toBuilder().tags(null).build()).toList();
        return new ListInstanceProfilesResponse(profiles, page.isTruncated(), page.markerOrNull());
    }

    Object delete(CallContext ctx, DeleteInstanceProfileRequest request) {
        String account = IamCall.account(ctx);
        StoreTx.run(store, tx -> {
            InstanceProfileRecord profile = require(tx, account, request.instanceProfileName());
            if (!profile.roleNames().isEmpty()) {
                throw IamErrors.deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
            }
            tx.delete(IamKeys.instanceProfile(account, profile.name()));
            return null;
        });
        return null;
    }

    Object addRole(CallContext ctx, AddRoleToInstanceProfileRequest request) {
        String account = IamCall.account(ctx);
        StoreTx.run(store, tx -> {
            InstanceProfileRecord profile = require(tx, account, request.instanceProfileName());
            RoleRecord role = RoleOperations.require(tx, account, request.roleName());
            if (profile.roleNames().size() >= InstanceProfiles.ROLES_PER_PROFILE) {
                throw IamErrors.quota("InstanceSessionsPerInstanceProfile", InstanceProfiles.ROLES_PER_PROFILE);
            }
            tx.put(IamKeys.instanceProfile(account, profile.name()), profile.withRoles(List.of(role.name())));
            tx.put(IamKeys.role(account, role.name()), role.withInstanceProfile(profile.name()));
            return null;
        });
        return null;
    }

    Object removeRole(CallContext ctx, RemoveRoleFromInstanceProfileRequest request) {
        String account = IamCall.account(ctx);
        StoreTx.run(store, tx -> {
            InstanceProfileRecord profile = require(tx, account, request.instanceProfileName());
            RoleRecord role = RoleOperations.require(tx, account, request.roleName());
            if (profile.roleNames().stream().noneMatch(n -> n.equalsIgnoreCase(role.name()))) {
                throw IamErrors.noSuchRole(request.roleName());
            }
            tx.put(IamKeys.instanceProfile(account, profile.name()), profile.withRoles(
                    profile.roleNames().stream().filter(n -> !n.equalsIgnoreCase(role.name())).toList()));
            tx.put(IamKeys.role(account, role.name()), role.withoutInstanceProfile(profile.name()));
            return null;
        });
        return null;
    }

    ListInstanceProfilesForRoleResponse listForRole(CallContext ctx, ListInstanceProfilesForRoleRequest request) {
        String account = IamCall.account(ctx);
        RoleRecord role = RoleOperations.find(store, account, request.roleName())
                .orElseThrow(() -> IamErrors.noSuchRole(request.roleName()));
        List<InstanceProfileRecord> profiles = role.instanceProfiles().stream()
                .map(name -> find(account, name))
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing(InstanceProfileOperations::sortKey))
                .toList();
        Listing.Page<InstanceProfileRecord> page = Listing.page(profiles, InstanceProfileOperations::sortKey, request.marker(), request.maxItems());
        List<InstanceProfile> answered = page.items().stream().map(p -> answered(account, p).toBuilder().tags(null).build()).toList();
        return new ListInstanceProfilesForRoleResponse(answered, page.isTruncated(), page.markerOrNull());
    }

    /** The profile with its roles as lists answer them. */
    private InstanceProfile answered(String account, InstanceProfileRecord profile) {
        List<Role> roles = profile.roleNames().stream()
                .map(name -> RoleOperations.find(store, account, name))
                .flatMap(Optional::stream)
                .map(RoleRecord::listed)
                .toList();
        return profile.profile().toBuilder().roles(roles).build();
    }

    private Optional<InstanceProfileRecord> find(String account, String name) {
        return store.get(IamKeys.instanceProfile(account, name)).map(kv -> Records.decode(kv.value(), InstanceProfileRecord.class));
    }

    private static InstanceProfileRecord require(StoreTx tx, String account, String name) {
        return tx.read(IamKeys.instanceProfile(account, name), InstanceProfileRecord.class)
                .orElseThrow(() -> IamErrors.noSuchInstanceProfile(name));
    }

    private static String sortKey(InstanceProfileRecord p) {
        return p.name().toLowerCase(Locale.ROOT);
    }
}
