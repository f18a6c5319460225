package dev.stevedore.control.iam.accesskey;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.iam.IamCall;
import dev.stevedore.control.iam.IamErrors;
import dev.stevedore.control.iam.IamIds;
import dev.stevedore.control.iam.IamKeys;
import dev.stevedore.control.iam.SecretSealer;
import dev.stevedore.control.iam.query.Listing;
import dev.stevedore.control.iam.user.UserRecord;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.iam.AccessKey;
import dev.stevedore.model.iam.AccessKeyLastUsed;
import dev.stevedore.model.iam.AccessKeyMetadata;
import dev.stevedore.model.iam.CreateAccessKeyRequest;
import dev.stevedore.model.iam.CreateAccessKeyResponse;
import dev.stevedore.model.iam.DeleteAccessKeyRequest;
import dev.stevedore.model.iam.GetAccessKeyLastUsedRequest;
import dev.stevedore.model.iam.GetAccessKeyLastUsedResponse;
import dev.stevedore.model.iam.ListAccessKeysRequest;
import dev.stevedore.model.iam.ListAccessKeysResponse;
import dev.stevedore.model.iam.UpdateAccessKeyRequest;
import dev.stevedore.model.iam.statusType;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey and GetAccessKeyLastUsed. A
 * call without UserName acts on the calling user. The secret is answered once, by CreateAccessKey,
 * and stored only sealed.
 */
public final class AccessKeyOperations {
    /** Access keys one user may have. */
    public static final int KEYS_PER_USER = 2;

    private final StateStore store;
    private final Clock clock;
    private final SecretSealer sealer;
    private final IamCredentials credentials;

    public AccessKeyOperations(StateStore store, Clock clock, SecretSealer sealer, IamCredentials credentials) {
        this.store = store;
        this.clock = clock;
        this.sealer = sealer;
        this.credentials = credentials;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateAccessKey", Operations.typed(CreateAccessKeyRequest.class, this::create),
                "ListAccessKeys", Operations.typed(ListAccessKeysRequest.class, this::list),
                "UpdateAccessKey", Operations.typed(UpdateAccessKeyRequest.class, this::update),
                "DeleteAccessKey", Operations.typed(DeleteAccessKeyRequest.class, this::delete),
                "GetAccessKeyLastUsed", Operations.typed(GetAccessKeyLastUsedRequest.class, this::lastUsed));
    }

    CreateAccessKeyResponse create(CallContext ctx, CreateAccessKeyRequest request) {
        String account = IamCall.account(ctx);
        // The root user's own keys are configuration, not IAM's: it names the user.
        String userName = IamCall.userOrCaller(ctx, request.userName())
                .orElseThrow(() -> IamErrors.validationError("Must specify userName when calling with non-User credentials"));
        String keyId = IamIds.accessKeyId();
        String secret = IamIds.secretAccessKey();
        String sealed = sealer.seal(secret, keyId);
        return StoreTx.run(store, tx -> {
            UserRecord user = requireUser(tx, account, userName);
            if (user.accessKeyIds().size() >= KEYS_PER_USER) {
                throw IamErrors.quota("AccessKeysPerUser", KEYS_PER_USER);
            }
            AccessKeyRecord key = new AccessKeyRecord(keyId, account, user.name(), statusType.ACTIVE, clock.instant(), sealed);
            tx.put(IamKeys.user(account, user.name()), user.withAccessKey(keyId));
            tx.put(IamKeys.accessKey(keyId), key);
            return new CreateAccessKeyResponse(new AccessKey(keyId, key.createDate(), secret, key.status(), key.userName()));
        });
    }

    ListAccessKeysResponse list(CallContext ctx, ListAccessKeysRequest request) {
        String account = IamCall.account(ctx);
        Optional<String> userName = IamCall.userOrCaller(ctx, request.userName());
        if (userName.isEmpty()) {
            // The root user's keys are configuration, not IAM's.
            return new ListAccessKeysResponse(List.of(), false, null);
        }
        UserRecord user = store.get(IamKeys.user(account, userName.get()))
                .map(kv -> Records.decode(kv.value(), UserRecord.class))
                .orElseThrow(() -> IamErrors.noSuchUser(userName.get()));
        List<AccessKeyMetadata> keys = user.accessKeyIds().stream().sorted()
                .map(id -> store.get(IamKeys.accessKey(id)).map(kv -> Records.decode(kv.value(), AccessKeyRecord.class)))
                .flatMap(Optional::stream)
                .map(AccessKeyRecord::metadata)
                .toList();
        Listing.Page<AccessKeyMetadata> page = Listing.page(keys, AccessKeyMetadata::accessKeyId, request.marker(), request.maxItems());
        return new ListAccessKeysResponse(page.items(), page.isTruncated(), page.markerOrNull());
    }

    Object update(CallContext ctx, UpdateAccessKeyRequest request) {
        String account = IamCall.account(ctx);
        if (!request.status().equals(statusType.ACTIVE) && !request.status().equals(statusType.INACTIVE)) {
            throw IamErrors.invalidInput("Invalid status " + request.status() + ". Valid values are Active and Inactive.");
        }
        StoreTx.run(store, tx -> {
            AccessKeyRecord key = requireKeyOf(tx, ctx, request.userName(), request.accessKeyId());
            tx.put(IamKeys.accessKey(key.accessKeyId()), key.withStatus(request.status()));
            return null;
        });
        credentials.forget(request.accessKeyId());
        return null;
    }

    Object delete(CallContext ctx, DeleteAccessKeyRequest request) {
        String account = IamCall.account(ctx);
        StoreTx.run(store, tx -> {
            AccessKeyRecord key = requireKeyOf(tx, ctx, request.userName(), request.accessKeyId());
            UserRecord user = requireUser(tx, account, key.userName());
            tx.put(IamKeys.user(account, user.name()), user.withoutAccessKey(key.accessKeyId()));
            tx.delete(IamKeys.accessKey(key.accessKeyId()));
            return null;
        });
        credentials.forget(request.accessKeyId());
        return null;
    }

    GetAccessKeyLastUsedResponse lastUsed(CallContext ctx, GetAccessKeyLastUsedRequest request) {
        AccessKeyRecord key = store.get(IamKeys.accessKey(request.accessKeyId()))
                .map(kv -> Records.decode(kv.value(), AccessKeyRecord.class))
                .filter(k -> k.accountId().equals(IamCall.account(ctx)))
                .orElseThrow(() -> IamErrors.noSuchAccessKey(request.accessKeyId()));
        // Use is not recorded (it would cost a write per signed request): answered as IAM answers a key never used.
        return new GetAccessKeyLastUsedResponse(new AccessKeyLastUsed(null, "N/A", "N/A"), key.userName());
    }

    /** The key, which must belong to the user named (or the calling user). */
    private AccessKeyRecord requireKeyOf(StoreTx tx, CallContext ctx, String userName, String accessKeyId) {
        String account = IamCall.account(ctx);
        Optional<String> owner = IamCall.userOrCaller(ctx, userName);
        if (owner.isEmpty()) {
            // Without a user name the root user's own keys are meant, and those are not IAM's.
            throw IamErrors.noSuchAccessKey(accessKeyId);
        }
        requireUser(tx, account, owner.get());
        return tx.read(IamKeys.accessKey(accessKeyId), AccessKeyRecord.class)
                .filter(k -> k.accountId().equals(account))
                .filter(k -> k.userName().equalsIgnoreCase(owner.get()))
                .orElseThrow(() -> IamErrors.noSuchAccessKey(accessKeyId));
    }

    private static UserRecord requireUser(StoreTx tx, String account, String name) {
        return tx.read(IamKeys.user(account, name), UserRecord.class).orElseThrow(() -> IamErrors.noSuchUser(name));
    }
}
