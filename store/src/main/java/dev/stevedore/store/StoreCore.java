package dev.stevedore.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend-independent store: in-memory live keys for reads, a single writer that evaluates
 * transactions and hands their changes to a {@link Journal}, and the watch hub. The public
 * backends are thin wrappers that choose the journal and the commit strategy.
 */
final class StoreCore implements StateStore {

    private static final Logger log = LoggerFactory.getLogger(StoreCore.class);

    private final LiveKeys live;
    private final Journal journal;
    private final WatchHub hub;
    private final long retainedRevisions;
    private final long compactionSlack;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Committer committer;
    private final StoreObserver observer;
    /** While set, the changes come from another process's commits ({@link #applyCommitted}) and commits are refused. */
    private volatile boolean following;

    /**
     * @param groupCommitThread the writer thread's name for group commit, or empty to commit on
     *     the caller's thread
     */
    StoreCore(Journal journal, Map<String, KeyValue> keys, long revision, long compactedRevision,
              StoreOptions options, Optional<String> groupCommitThread, StoreObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.live = new LiveKeys(keys, revision);
        this.journal = journal;
        this.hub = new WatchHub(journal, options.watchBufferBatches(), revision, compactedRevision);
        this.retainedRevisions = options.retainedRevisions();
        // Compacting in steps rather than every revision keeps the delete work off most commits.
        this.compactionSlack = Math.clamp(retainedRevisions / 10, 1, 1_000);
        this.committer = groupCommitThread
                .<Committer>map(name -> new GroupCommitter(this::process, name))
                .orElseGet(() -> new DirectCommitter(this::process));
    }

    @Override
    public Optional<KeyValue> get(String key) {
        checkOpen();
        return live.get(Keys.requireValid(key));
    }

    @Override
    public List<KeyValue> range(String prefix) {
        return rangeWithRevision(prefix).kvs();
    }

    @Override
    public List<KeyValue> range(String prefix, String startAfter, int limit) {
        checkOpen();
        Objects.requireNonNull(startAfter, "startAfter");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        return live.range(Keys.requireValidPrefix(prefix), startAfter, limit).kvs();
    }

    @Override
    public RangeResult rangeWithRevision(String prefix) {
        checkOpen();
        return live.range(Keys.requireValidPrefix(prefix), "", Integer.MAX_VALUE);
    }

    @Override
    public long currentRevision() {
        checkOpen();
        return live.revision();
    }

    /** From now on this store follows changes committed by another process and refuses commits of its own. */
    void startFollowing() {
        following = true;
    }

    boolean following() {
        return following;
    }

    /**
     * While following: makes the change sets another process committed (contiguous, starting right
     * after the current revision) visible to reads and watches, as this store's own commits would be.
     * Called by one thread at a time; never while this store commits.
     */
    void applyCommitted(List<ChangeSet> changes) {
        checkOpen();
        if (!following) {
            throw new IllegalStateException("this store writes its own changes; it follows nobody");
        }
        if (changes.isEmpty()) {
            return;
        }
        long expected = live.revision() + 1;
        if (changes.getFirst().revision() != expected) {
            throw new StoreException("the followed changes start at revision " + changes.getFirst().revision()
                    + " but this store is at revision " + live.revision());
        }
        live.apply(changes);
        hub.publish(changes);
    }

    /** Ends following: from now on this store's own commits are its changes. */
    void stopFollowing() {
        following = false;
    }

    @Override
    public TxnResult commit(Txn txn) {
        Objects.requireNonNull(txn, "txn");
        checkOpen();
        refuseWhileFollowing();
        long started = System.nanoTime();
        try {
            return committer.commit(txn);
        } finally {
            observer.committed(System.nanoTime() - started);
        }
    }

    @Override
    public CompletableFuture<TxnResult> commitAsync(Txn txn) {
        Objects.requireNonNull(txn, "txn");
        checkOpen();
        refuseWhileFollowing();
        if (observer == StoreObserver.NONE) {
            return committer.submit(txn);
        }
        long started = System.nanoTime();
        CompletableFuture<TxnResult> result = committer.submit(txn);
        result.whenComplete((r, e) -> observer.committed(System.nanoTime() - started));
        return result;
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        Keys.requireValidPrefix(prefix);
        Objects.requireNonNull(listener, "listener");
        if (fromRevision < 0) {
            throw new IllegalArgumentException("fromRevision must not be negative: " + fromRevision);
        }
        checkOpen();
        return hub.watch(prefix, fromRevision, listener);
    }

    long compactedRevision() {
        checkOpen();
        return hub.compactedRevision();
    }

    /** Runs on the single writer: evaluates each transaction against the state left by the ones before it. */
    private List<TxnResult> process(List<Txn> txns) {
        long revision = live.revision();
        // Keys changed earlier in this batch (empty = deleted), which the live map does not show yet.
        Map<String, Optional<KeyValue>> batchState = new HashMap<>();
        List<ChangeSet> changes = new ArrayList<>();
        List<TxnResult> results = new ArrayList<>(txns.size());
        for (Txn txn : txns) {
            if (!conditionsHold(txn, batchState)) {
                results.add(new TxnResult(false, revision));
                continue;
            }
            List<WatchEvent> events = effects(txn, revision + 1, batchState);
            if (events.isEmpty()) {
                results.add(new TxnResult(true, revision));
                continue;
            }
            revision++;
            for (WatchEvent event : events) {
                batchState.put(event.kv().key(),
                        event.type() == WatchEvent.Type.PUT ? Optional.of(event.kv()) : Optional.empty());
            }
            changes.add(new ChangeSet(revision, events));
            results.add(new TxnResult(true, revision));
        }
        if (!changes.isEmpty()) {
            long writeStarted = System.nanoTime();
            long syncNanos = journal.append(changes);
            observer.batchWritten(txns.size(), System.nanoTime() - writeStarted, syncNanos);
            live.apply(changes);
            hub.publish(changes);
            compactIfDue(revision);
        }
        return results;
    }

    private Optional<KeyValue> current(String key, Map<String, Optional<KeyValue>> batchState) {
        Optional<KeyValue> changed = batchState.get(key);
        return changed != null ? changed : live.get(key);
    }

    private boolean conditionsHold(Txn txn, Map<String, Optional<KeyValue>> batchState) {
        for (Condition condition : txn.conditions()) {
            switch (condition) {
                case Condition.ModRevisionEquals c -> {
                    long actual = current(c.key(), batchState).map(KeyValue::modRevision).orElse(0L);
                    if (actual != c.modRevision()) {
                        return false;
                    }
                }
                case Condition.VersionEquals c -> {
                    long actual = current(c.key(), batchState).map(KeyValue::version).orElse(0L);
                    if (actual != c.version()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private List<WatchEvent> effects(Txn txn, long revision, Map<String, Optional<KeyValue>> batchState) {
        List<WatchEvent> events = new ArrayList<>(txn.ops().size());
        for (Op op : txn.ops()) {
            Optional<KeyValue> before = current(op.key(), batchState);
            switch (op) {
                case Op.Put put -> {
                    KeyValue after = new KeyValue(put.key(), put.value(),
                            before.map(KeyValue::createRevision).orElse(revision),
                            revision,
                            before.map(kv -> kv.version() + 1).orElse(1L));
                    events.add(new WatchEvent(WatchEvent.Type.PUT, after, revision));
                }
                case Op.Delete delete -> {
                    if (before.isPresent()) {
                        events.add(new WatchEvent(WatchEvent.Type.DELETE, KeyValue.tombstone(delete.key(), revision), revision));
                    }
                }
            }
        }
        return events;
    }

    private void compactIfDue(long revision) {
        if (revision - hub.compactedRevision() <= retainedRevisions + compactionSlack) {
            return;
        }
        long before = hub.compactedRevision();
        long mark = hub.advanceCompaction(revision - retainedRevisions);
        if (mark > before) {
            try {
                journal.compact(mark);
            } catch (StoreException e) {
                // Only disk space is at stake: the history stays and the next compaction retries it.
                log.warn("could not compact history through revision {}", mark, e);
            }
        }
    }

    private void refuseWhileFollowing() {
        if (following) {
            throw new FollowerStoreException();
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new StoreClosedException();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            committer.close();
        } finally {
            try {
                hub.close();
            } finally {
                journal.close();
            }
        }
    }
}
