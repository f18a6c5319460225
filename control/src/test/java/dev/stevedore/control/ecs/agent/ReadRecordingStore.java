package dev.stevedore.control.ecs.agent;

import dev.stevedore.store.KeyValue;
import dev.stevedore.store.RangeResult;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Txn;
import dev.stevedore.store.TxnResult;
import dev.stevedore.store.Watch;
import dev.stevedore.store.WatchListener;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real store that notes the keys read and the prefixes ranged over by one thread, while it is
 * asked to: what a piece of code reads, without the reads other threads (the feed, the plan
 * applier) make meanwhile.
 */
final class ReadRecordingStore implements StateStore {
    private final StateStore store;
    private volatile Thread recorded;
    final List<String> gets = new CopyOnWriteArrayList<>();
    final List<String> ranges = new CopyOnWriteArrayList<>();

    ReadRecordingStore(StateStore store) {
        this.store = store;
    }

    /** Notes the reads of the calling thread until {@link #stopRecording}. */
    void recordThisThread() {
        recorded = Thread.currentThread();
    }

    void stopRecording() {
        recorded = null;
    }

    private void note(List<String> into, String what) {
        if (Thread.currentThread() == recorded) {
            into.add(what);
        }
    }

    @Override
    public Optional<KeyValue> get(String key) {
        note(gets, key);
        return store.get(key);
    }

    @Override
    public List<KeyValue> range(String prefix) {
        note(ranges, prefix);
        return store.range(prefix);
    }

    @Override
    public List<KeyValue> range(String prefix, String startAfter, int limit) {
        note(ranges, prefix);
        return store.range(prefix, startAfter, limit);
    }

    @Override
    public RangeResult rangeWithRevision(String prefix) {
        note(ranges, prefix);
        return store.rangeWithRevision(prefix);
    }

    @Override
    public long currentRevision() {
        return store.currentRevision();
    }

    @Override
    public TxnResult commit(Txn txn) {
        return store.commit(txn);
    }

    @Override
    public CompletableFuture<TxnResult> commitAsync(Txn txn) {
        return store.commitAsync(txn);
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        return store.watch(prefix, fromRevision, listener);
    }

    @Override
    public void close() {
        store.close();
    }
}
