package dev.stevedore.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: callers queue their transactions and wait; one writer thread takes everything
 * queued, processes it as one batch (one durable write, one fsync) and completes the callers.
 * While a batch is being synced the next one gathers, so throughput grows with concurrency.
 *
 * <p>If a batch cannot be written the store is considered failed: the outcome of that batch is
 * unknown and every later commit is refused, because after a failed fsync the file's state is
 * no longer known to match memory. Reopening the store recovers from the file. A full disk is
 * the exception ({@link StoreFullException}): the journal has made sure nothing was written, so
 * only that batch's callers are refused and the next batch is tried as usual.
 */
final class GroupCommitter implements Committer {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);
    /** Caps one batch so that a flood of callers cannot make a single write unboundedly large. */
    static final int MAX_BATCH = 1_024;

    private record Pending(Txn txn, CompletableFuture<TxnResult> result) {}

    private final BatchProcessor processor;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by lock
    private boolean closing; // guarded by lock
    private volatile StoreException failure;
    /** Whether the last batch was refused for want of disk space (only the writer thread touches it). */
    private boolean full;
    private final Thread writer;

    GroupCommitter(BatchProcessor processor, String name) {
        this.processor = processor;
        this.writer = Thread.ofPlatform().name(name).daemon().start(this::writeLoop);
    }

    @Override
    public TxnResult commit(Txn txn) {
        CompletableFuture<TxnResult> result = submit(txn);
        try {
            return result.join();
        } catch (CompletionException e) {
            // Rethrown on the caller's thread so that its stack trace shows the caller.
            Throwable cause = e.getCause();
            throw cause instanceof StoreFullException ? new StoreFullException(cause.getMessage(), cause)
                    : new StoreException(cause.getMessage(), cause);
        }
    }

    @Override
    public CompletableFuture<TxnResult> submit(Txn txn) {
        Pending pending = new Pending(txn, new CompletableFuture<>());
        lock.lock();
        try {
            if (closing) {
                throw new StoreClosedException();
            }
            throwIfFailed();
            queue.add(pending);
            queued.signal();
        } finally {
            lock.unlock();
        }
        return pending.result();
    }

    private void throwIfFailed() {
        StoreException failed = failure;
        if (failed != null) {
            throw new StoreException("the store failed earlier and accepts no more commits; reopen it", failed);
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            lock.lock();
            try {
                while (queue.isEmpty() && !closing) {
                    queued.awaitUninterruptibly();
                }
                if (queue.isEmpty()) {
                    return;
                }
                while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
                    batch.add(queue.poll());
                }
            } finally {
                lock.unlock();
            }
            write(batch);
            batch.clear();
        }
    }

    private void write(List<Pending> batch) {
        if (failure != null) {
            batch.forEach(p -> p.result().completeExceptionally(failure));
            return;
        }
        List<TxnResult> results;
        try {
            results = processor.process(batch.stream().map(Pending::txn).toList());
        } catch (StoreFullException e) {
            if (!full) {
                log.error("state store out of disk space: commits are refused until there is space again", e);
                full = true;
            }
            batch.forEach(p -> p.result().completeExceptionally(e));
            return;
        } catch (Throwable t) {
            StoreException failed = t instanceof StoreException se ? se : new StoreException("commit failed", t);
            failure = failed;
            log.error("state store write failed; refusing further commits", t);
            batch.forEach(p -> p.result().completeExceptionally(failed));
            return;
        }
        if (full) {
            log.info("state store writes again: there is disk space");
            full = false;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            queued.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
