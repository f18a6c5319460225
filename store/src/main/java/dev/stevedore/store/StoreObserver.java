package dev.stevedore.store;

/**
 * What a store tells about its commits, for metrics. Called on the committing thread or the store's
 * writer; must not block and must not call the store.
 */
public interface StoreObserver {

    /** Observes nothing. */
    StoreObserver NONE = new StoreObserver() {
    };

    /**
     * A commit was answered (applied or refused by its conditions).
     *
     * @param nanos from the call to the answer: waiting for the writer, then the batch it rode in
     */
    default void committed(long nanos) {
    }

    /**
     * The writer made one batch durable.
     *
     * @param transactions the transactions of the batch, refused ones included
     * @param writeNanos   the whole journal write
     * @param syncNanos    of which the durable commit (for SQLite, writing the WAL frames and the fsync);
     *                     0 for a journal that keeps nothing on disk
     */
    default void batchWritten(int transactions, long writeNanos, long syncNanos) {
    }
}
