package dev.stevedore.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Commits each transaction on the caller's thread under a lock. Right for a journal without
 * I/O, where batching would only add a thread hop.
 */
final class DirectCommitter implements Committer {

    private final BatchProcessor processor;
    private boolean closed; // guarded by this

    DirectCommitter(BatchProcessor processor) {
        this.processor = processor;
    }

    @Override
    public synchronized TxnResult commit(Txn txn) {
        if (closed) {
            throw new StoreClosedException();
        }
        return processor.process(List.of(txn)).getFirst();
    }

    @Override
    public CompletableFuture<TxnResult> submit(Txn txn) {
        try {
            return CompletableFuture.completedFuture(commit(txn));
        } catch (StoreClosedException e) {
            throw e;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
