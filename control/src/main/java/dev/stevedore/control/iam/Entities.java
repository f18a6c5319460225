package dev.stevedore.control.iam;

import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.store.StateStore;

import java.util.Optional;

/** Reads and writes users and roles as {@link IamEntity} inside a transaction. */
public final class Entities {
    private Entities() {
    }

    public static Optional<IamEntity> find(StoreTx tx, String account, EntityKind kind, String name) {
        return tx.read(kind.key(account, name), kind.recordType()).map(IamEntity.class::cast);
    }

    /** The entity, or IAM's NoSuchEntity naming it. */
    public static IamEntity require(StoreTx tx, String account, EntityKind kind, String name) {
        return find(tx, account, kind, name).orElseThrow(() -> kind.notFound(name));
    }

    /** The entity as one read of the store shows it, or NoSuchEntity. */
    public static IamEntity read(StateStore store, String account, EntityKind kind, String name) {
        return store.get(kind.key(account, name))
                .map(kv -> (IamEntity) Records.decode(kv.value(), kind.recordType()))
                .orElseThrow(() -> kind.notFound(name));
    }

    public static void put(StoreTx tx, String account, IamEntity entity) {
        tx.put(entity.kind().key(account, entity.name()), entity);
    }
}
