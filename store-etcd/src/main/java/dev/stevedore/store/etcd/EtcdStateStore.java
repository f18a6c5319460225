package dev.stevedore.store.etcd;

import dev.stevedore.store.Journal;
import dev.stevedore.store.JournaledStateStore;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.RangeResult;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.StoreObserver;
import dev.stevedore.store.StoreOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens a {@link StateStore} kept in etcd under a prefix. The store behaves as the SQLite one
 * does (it is the same core: live keys in memory, one group-commit writer, watches replayed from
 * the kept history) with etcd as its durable journal; see {@link EtcdJournal} for what one
 * commit writes and on what condition.
 */
public final class EtcdStateStore {

    private EtcdStateStore() {}

    /** Opens the store at {@code location} with default options. */
    public static StateStore open(EtcdLocation location) {
        return open(location, StoreOptions.defaults(), StoreObserver.NONE);
    }

    /**
     * Copies {@code source} (every live key with its revisions and version, and the revision) into
     * the empty prefix of {@code destination}; the history is not copied, so the etcd store's
     * watches start at the copied revision.
     *
     * @throws dev.stevedore.store.StoreException if the destination prefix is not empty or etcd cannot be reached
     */
    public static void copy(StateStore source, EtcdLocation destination) {
        RangeResult all = source.rangeWithRevision("");
        Map<String, KeyValue> keys = new HashMap<>();
        all.kvs().forEach(kv -> keys.put(kv.key(), kv));
        EtcdJournal journal = EtcdJournal.connect(destination);
        try {
            journal.importContents(new Journal.Contents(keys, all.revision(), all.revision()));
        } finally {
            journal.close();
        }
    }

    /**
     * Opens the store at {@code location}, an empty one if nothing is under its prefix yet.
     *
     * @throws dev.stevedore.store.StoreException if etcd cannot be reached or holds what this Stevedore cannot read
     */
    public static StateStore open(EtcdLocation location, StoreOptions options, StoreObserver observer) {
        EtcdJournal journal = EtcdJournal.connect(location);
        try {
            StateStore store = JournaledStateStore.open(journal, journal.load(), options,
                    "stevedore-store-writer " + location, observer);
            journal.compactEtcdHistory(); // this process is the writer
            return store;
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }
}
