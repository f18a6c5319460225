package dev.stevedore.control.iam.accesskey;

import dev.stevedore.awsproto.CredentialsLookup;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.SigningIdentity;
import dev.stevedore.control.iam.IamKeys;
import dev.stevedore.control.iam.SecretSealer;
import dev.stevedore.control.iam.user.UserRecord;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.iam.statusType;
import dev.stevedore.store.StateStore;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The signature verifier's view of IAM users' access keys: an Active key of an existing user gives
 * its secret and the user as principal; anything else is unknown.
 *
 * <p>Found keys are cached (two store reads and an AES-GCM open saved per request). The IAM
 * operations of this process forget a key whenever they change it or its user's name or path, so
 * the cache is exact for writes made through this API in this process, which is every write:
 * nothing else writes IAM records. Unknown ids are not cached, so a guessed id costs one read.
 */
public final class IamCredentials implements CredentialsLookup {
    private final StateStore store;
    private final SecretSealer sealer;
    private final ConcurrentHashMap<String, SigningIdentity> cache = new ConcurrentHashMap<>();
    /** Counts {@link #forget} calls, so a load that raced one does not stay cached. */
    private final AtomicLong forgets = new AtomicLong();

    public IamCredentials(StateStore store, SecretSealer sealer) {
        this.store = store;
        this.sealer = sealer;
    }

    @Override
    public Optional<SigningIdentity> find(String accessKeyId) {
        SigningIdentity cached = cache.get(accessKeyId);
        if (cached != null) {
            return Optional.of(cached);
        }
        long before = forgets.get();
        Optional<SigningIdentity> found = load(accessKeyId);
        found.ifPresent(identity -> {
            cache.put(accessKeyId, identity);
            // A write may have landed (and forgotten the key) while this load read the store: then what
            // was loaded may be stale, and is not kept. Checked after the put, so a forget either sees
            // the entry or is seen here.
            if (forgets.get() != before) {
                cache.remove(accessKeyId, identity);
            }
        });
        return found;
    }

    /** Drops what is cached of a key; called after every write that changes the key or its user. */
    public void forget(String accessKeyId) {
        forgets.incrementAndGet();
        cache.remove(accessKeyId);
    }

    private Optional<SigningIdentity> load(String accessKeyId) {
        if (!accessKeyId.startsWith("AKIA")) {
            return Optional.empty();
        }
        return store.get(IamKeys.accessKey(accessKeyId))
                .map(kv -> Records.decode(kv.value(), AccessKeyRecord.class))
                .filter(key -> key.status().equals(statusType.ACTIVE))
                .flatMap(key -> store.get(IamKeys.user(key.accountId(), key.userName()))
                        .map(kv -> Records.decode(kv.value(), UserRecord.class))
                        .map(user -> new SigningIdentity(accessKeyId, sealer.open(key.sealedSecret(), accessKeyId),
                                Optional.empty(), new Principal(key.accountId(), accessKeyId, user.arn()))));
    }
}
