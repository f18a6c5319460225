package dev.stevedore.control.iam.user;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.iam.AccountDefaults;
import dev.stevedore.control.iam.EntityKind;
import dev.stevedore.control.iam.IamArns;
import dev.stevedore.control.iam.IamCall;
import dev.stevedore.control.iam.IamErrors;
import dev.stevedore.control.iam.IamIds;
import dev.stevedore.control.iam.IamKeys;
import dev.stevedore.control.iam.accesskey.AccessKeyRecord;
import dev.stevedore.control.iam.accesskey.IamCredentials;
import dev.stevedore.control.iam.policy.Boundaries;
import dev.stevedore.control.iam.policy.ManagedPolicies;
import dev.stevedore.control.iam.query.Listing;
import dev.stevedore.control.iam.tags.Tags;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.iam.CreateUserRequest;
import dev.stevedore.model.iam.CreateUserResponse;
import dev.stevedore.model.iam.DeleteUserRequest;
import dev.stevedore.model.iam.GetUserRequest;
import dev.stevedore.model.iam.GetUserResponse;
import dev.stevedore.model.iam.ListUsersRequest;
import dev.stevedore.model.iam.ListUsersResponse;
import dev.stevedore.model.iam.UpdateUserRequest;
import dev.stevedore.model.iam.User;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** CreateUser, GetUser, ListUsers, UpdateUser and DeleteUser. */
public final class UserOperations {
    private final StateStore store;
    private final Clock clock;
    private final IamCredentials credentials;

    public UserOperations(StateStore store, Clock clock, IamCredentials credentials) {
        this.store = store;
        this.clock = clock;
        this.credentials = credentials;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateUser", Operations.typed(CreateUserRequest.class, this::create),
                "GetUser", Operations.typed(GetUserRequest.class, this::get),
                "ListUsers", Operations.typed(ListUsersRequest.class, this::list),
                "UpdateUser", Operations.typed(UpdateUserRequest.class, this::update),
                "DeleteUser", Operations.typed(DeleteUserRequest.class, this::delete));
    }

    CreateUserResponse create(CallContext ctx, CreateUserRequest request) {
        String account = IamCall.account(ctx);
        String name = request.userName();
        String path = Optional.ofNullable(request.path()).orElse("/");
        Tags.check(request.tags(), EntityKind.USER.tagQuota);
        User user = User.builder()
                .userName(name)
                .path(path)
                .userId(IamIds.uniqueId(IamIds.USER))
                .arn(IamArns.of(account, "user", path, name))
                .createDate(clock.instant())
                .tags(request.tags() == null || request.tags().isEmpty() ? null : List.copyOf(request.tags()))
                .build();
        return StoreTx.run(store, tx -> {
            String key = IamKeys.user(account, name);
            if (tx.read(key, UserRecord.class).isPresent()) {
                throw IamErrors.alreadyExists("User with name " + name + " already exists.");
            }
            UserRecord record = new UserRecord(
                    user.toBuilder().permissionsBoundary(
                            Boundaries.attach(tx, account, request.permissionsBoundary(), EntityKind.USER, name, user.userId())).build(),
                    null, null);
            tx.put(key, record);
            return new CreateUserResponse(record.user());
        });
    }

    GetUserResponse get(CallContext ctx, GetUserRequest request) {
        String account = IamCall.account(ctx);
        Optional<String> name = IamCall.userOrCaller(ctx, request.userName());
        if (name.isEmpty()) {
            // The account's root user: IAM answers it without a user name of its own.
            return new GetUserResponse(User.builder()
                    .userId(account)
                    .arn(ctx.principal().arn())
                    .createDate(AccountDefaults.created(store, account))
                    .build());
        }
        return new GetUserResponse(find(store, account, name.get()).orElseThrow(() -> IamErrors.noSuchUser(name.get())).user());
    }

    ListUsersResponse list(CallContext ctx, ListUsersRequest request) {
        String account = IamCall.account(ctx);
        List<User> users = Listing.underPath(
                store.range(IamKeys.users(account)).stream()
                        .map(kv -> Records.decode(kv.value(), UserRecord.class).user().toBuilder().tags(null).build())
                        .toList(),
                User::path, request.pathPrefix());
        Listing.Page<User> page = Listing.page(users, u -> u.userName().toLowerCase(Locale.ROOT),
                request.marker(), request.maxItems());
        return new ListUsersResponse(page.isTruncated(), page.markerOrNull(), page.items());
    }

    Object update(CallContext ctx, UpdateUserRequest request) {
        String account = IamCall.account(ctx);
        String name = request.userName();
        List<String> keyIds = StoreTx.run(store, tx -> {
            UserRecord record = tx.read(IamKeys.user(account, name), UserRecord.class)
                    .orElseThrow(() -> IamErrors.noSuchUser(name));
            String newName = Optional.ofNullable(request.newUserName()).orElse(record.name());
            String newPath = Optional.ofNullable(request.newPath()).orElse(record.path());
            boolean renamed = !newName.equals(record.name());
            if (renamed && !IamKeys.user(account, newName).equals(IamKeys.user(account, name))
                    && tx.read(IamKeys.user(account, newName), UserRecord.class).isPresent()) {
                throw IamErrors.alreadyExists("User with name " + newName + " already exists.");
            }
            UserRecord next = record.withUser(record.user().toBuilder()
                    .userName(newName)
                    .path(newPath)
                    .arn(IamArns.of(account, "user", newPath, newName))
                    .build());
            if (renamed) {
                // Whatever names the user by name follows it: its access keys and the policies attached to it.
                for (String keyId : record.accessKeyIds()) {
                    tx.read(IamKeys.accessKey(keyId), AccessKeyRecord.class)
                            .ifPresent(k -> tx.put(IamKeys.accessKey(keyId), k.withUserName(newName)));
                }
                ManagedPolicies.renameReferences(tx, account, record, newName);
            }
            tx.delete(IamKeys.user(account, name));
            tx.put(IamKeys.user(account, newName), next);
            return record.accessKeyIds();
        });
        keyIds.forEach(credentials::forget);
        return null;
    }

    Object delete(CallContext ctx, DeleteUserRequest request) {
        String account = IamCall.account(ctx);
        String name = request.userName();
        StoreTx.run(store, tx -> {
            UserRecord record = tx.read(IamKeys.user(account, name), UserRecord.class)
                    .orElseThrow(() -> IamErrors.noSuchUser(name));
            if (!record.accessKeyIds().isEmpty()) {
                throw IamErrors.deleteConflict("Cannot delete entity, must delete access keys first.");
            }
            if (!record.grants().attached().isEmpty()) {
                throw IamErrors.deleteConflict("Cannot delete entity, must detach all policies first.");
            }
            if (!record.grants().inline().isEmpty()) {
                throw IamErrors.deleteConflict("Cannot delete entity, must delete policies first.");
            }
            Boundaries.detach(tx, account, record);
            tx.delete(IamKeys.user(account, name));
            return null;
        });
        return null;
    }

    static Optional<UserRecord> find(StateStore store, String account, String name) {
        return store.get(IamKeys.user(account, name)).map(kv -> Records.decode(kv.value(), UserRecord.class));
    }
}
