package dev.stevedore.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A versioned key-value store: one global revision, per-key create/modify revisions and versions,
 * atomic multi-key transactions guarded by compare-and-set conditions, and prefix watches that
 * replay history from a revision before switching to live changes.
 *
 * <p>Revisions start at 0 for an empty store and grow by exactly one for every committed
 * transaction that changes at least one key. Keys are non-empty strings ordered by
 * {@link String#compareTo}; a prefix is a plain string prefix, so {@code range("/a/b/")} sees
 * {@code /a/b/c} but neither {@code /a/b} nor {@code /a/bc}.
 *
 * <p>Implementations are thread-safe. Every method throws {@link StoreClosedException} once the
 * store is closed, and other failures are {@link StoreException}s.
 */
public interface StateStore extends AutoCloseable {

    /**
     * The live value of {@code key}, if it exists, read between transactions: once a get has seen
     * one key a transaction wrote, later gets see that transaction's other keys too.
     */
    Optional<KeyValue> get(String key);

    /** Every live key starting with prefix, ascending by key (String.compareTo order), read at one revision. */
    List<KeyValue> range(String prefix);

    /**
     * At most limit live keys with prefix that sort strictly after startAfter ("" = from the start), ascending.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    List<KeyValue> range(String prefix, String startAfter, int limit);

    /**
     * Like {@link #range(String)}, together with the revision the keys were read at; pass that
     * revision to {@link #watch} to follow the prefix from exactly where the listing left off.
     */
    RangeResult rangeWithRevision(String prefix);

    /** The revision of the last committed change (0 for a store that was never written). */
    long currentRevision();

    /**
     * Atomically: if every condition holds, apply every op under ONE new revision; durable (fsynced) before it returns succeeded.
     *
     * <p>A transaction whose ops change nothing (no ops, or only deletes of absent keys) succeeds
     * without a new revision and reports the current one. The call waits for the outcome even if
     * the calling thread is interrupted. A {@link StoreException} means the outcome is unknown:
     * the transaction may or may not have been applied.
     */
    TxnResult commit(Txn txn);

    /**
     * Queues a transaction and returns at once; the future completes as {@link #commit} would
     * return, after the change is durable. Transactions queued by one thread are applied in the
     * order queued, so a writer can queue one that relies on an earlier one still in flight.
     */
    CompletableFuture<TxnResult> commitAsync(Txn txn);

    /**
     * Deliver every change to keys with prefix whose revision > fromRevision, in revision order, then live changes.
     * Throws CompactedException if history before fromRevision is gone.
     *
     * <p>The listener is called on a thread of its own, once per revision that touched the
     * prefix, never concurrently with itself. A slow listener delays only its own watch and
     * loses nothing. A {@code fromRevision} beyond the current revision waits for it.
     *
     * @throws CompactedException if the changes after {@code fromRevision} are no longer kept
     */
    Watch watch(String prefix, long fromRevision, WatchListener listener);

    /**
     * Stops the store: waits for accepted commits to finish, closes every watch and releases the
     * backing resources. Idempotent.
     */
    @Override
    void close();
}
