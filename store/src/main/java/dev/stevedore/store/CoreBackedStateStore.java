package dev.stevedore.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the backends share: every operation of the port is the {@link StoreCore}'s; a backend
 * only decides where the core's journal lives.
 */
abstract sealed class CoreBackedStateStore implements StateStore permits InMemoryStateStore, SqliteStateStore, JournaledStateStore {

    private final StoreCore core;

    CoreBackedStateStore(StoreCore core) {
        this.core = core;
    }

    StoreCore core() {
        return core;
    }

    /** History up to and including this revision has been discarded; watches must start at or after it. */
    public long compactedRevision() {
        return core.compactedRevision();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        return core.get(key);
    }

    @Override
    public List<KeyValue> range(String prefix) {
        return core.range(prefix);
    }

    @Override
    public List<KeyValue> range(String prefix, String startAfter, int limit) {
        return core.range(prefix, startAfter, limit);
    }

    @Override
    public RangeResult rangeWithRevision(String prefix) {
        return core.rangeWithRevision(prefix);
    }

    @Override
    public long currentRevision() {
        return core.currentRevision();
    }

    @Override
    public TxnResult commit(Txn txn) {
        return core.commit(txn);
    }

    @Override
    public CompletableFuture<TxnResult> commitAsync(Txn txn) {
        return core.commitAsync(txn);
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        return core.watch(prefix, fromRevision, listener);
    }

    @Override
    public void close() {
        core.close();
    }
}
