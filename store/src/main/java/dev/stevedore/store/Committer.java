package dev.stevedore.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How transactions reach the store's single writer. Either way, {@link BatchProcessor#process}
 * runs on one thread at a time.
 */
interface Committer {

    TxnResult commit(Txn txn);

    /** Queues the transaction; the future completes when it is committed (or refused by its conditions). */
    CompletableFuture<TxnResult> submit(Txn txn);

    /** Finishes every commit already accepted, then refuses new ones. */
    void close();

    /** Evaluates and applies a batch of transactions in order, returning one result per transaction. */
    @FunctionalInterface
    interface BatchProcessor {
        List<TxnResult> process(List<Txn> txns);
    }
}
