package dev.stevedore.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link StateStore} that lives on the heap and is gone when closed: for unit tests and
 * tools. Commits run on the caller's thread; watches and history behave as in the durable
 * backend, compaction included.
 */
public final class InMemoryStateStore implements StateStore {

    private final StoreCore core;

    public InMemoryStateStore() {
        this(StoreOptions.defaults());
    }

    public InMemoryStateStore(StoreOptions options) {
        this.core = new StoreCore(new MemoryJournal(), Map.of(), 0, 0, options, Optional.empty());
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
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        return core.watch(prefix, fromRevision, listener);
    }

    @Override
    public void close() {
        core.close();
    }
}
