package dev.stevedore.control.logs.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.stevedore.store.SqliteTransactions;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The one thread that writes to the log database. Writes queued while a commit is under way go into
 * the next transaction together (group commit), so concurrent PutLogEvents calls share one fsync; each
 * runs inside a savepoint, so one that fails leaves nothing behind and does not fail the others. A
 * caller is answered only once the transaction holding its write is committed (durable, with
 * {@code synchronous=FULL}).
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** At most this many writes share a transaction, so that one commit never holds back callers for long. */
    private static final int MAX_WRITES_PER_COMMIT = 64;

    /** A write against the database, run inside the writer's transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Db db) throws SQLException;
    }

    private record Job<T>(Work<T> work, CompletableFuture<T> done) {
    }

    private final Db db;
    private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    GroupCommitWriter(Db db, String name) {
        this.db = db;
        this.thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
    }

    /** Runs {@code work} in the next transaction and waits until that transaction is committed. */
    <T> T write(Work<T> work) {
        if (closed) {
            throw new IllegalStateException("the log store is closed");
        }
        Job<T> job = new Job<>(work, new CompletableFuture<>());
        queue.add(job);
        try {
            return job.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing logs", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new LogStoreException("log store write failed", e.getCause());
        }
    }

    private void loop() {
        List<Job<?>> batch = new ArrayList<>();
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, MAX_WRITES_PER_COMMIT - 1);
            commit(batch);
            batch.clear();
        }
        Job<?> left;
        while ((left = queue.poll()) != null) {
            left.done.completeExceptionally(new IllegalStateException("the log store is closed"));
        }
    }

    private void commit(List<Job<?>> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        List<Throwable> failures = new ArrayList<>(batch.size());
        try (Statement statement = db.connection().createStatement()) {
            for (Job<?> job : batch) {
                statement.execute("SAVEPOINT job");
                try {
                    results.add(job.work.run(db));
                    failures.add(null);
                    statement.execute("RELEASE job");
                } catch (SQLException | RuntimeException e) {
                    statement.execute("ROLLBACK TO job");
                    statement.execute("RELEASE job");
                    results.add(null);
                    failures.add(e instanceof SQLException ? new LogStoreException("log store write failed", e) : e);
                }
            }
            db.connection().commit();
        } catch (SQLException e) {
            LogStoreException failure = new LogStoreException("log store commit failed", e);
            if (failure.outOfSpace()) {
                LOG.error("log store out of disk space: writes are refused until there is space again", e);
            } else {
                LOG.error("log store commit failed", e);
            }
            SqliteTransactions.rollbackAndBegin(db.connection(), e);
            for (Job<?> job : batch) {
                job.done.completeExceptionally(failure);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results.get(i), failures.get(i));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Job<T> job, Object result, Throwable failure) {
        if (failure != null) {
            job.done.completeExceptionally(failure);
        } else {
            job.done.complete((T) result);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.close();
    }
}
