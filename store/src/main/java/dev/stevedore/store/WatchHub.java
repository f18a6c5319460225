package dev.stevedore.store;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The watches of one store: registers them against the kept history, hands them each committed
 * batch, and decides how far history may be compacted without taking changes from under a watch
 * that has not processed them yet.
 */
final class WatchHub {

    private final Journal journal;
    private final int bufferBatches;
    private final Object registration = new Object();
    private final Set<WatchTask> watches = new LinkedHashSet<>(); // guarded by registration
    private long compactedRevision; // guarded by registration
    private boolean closed; // guarded by registration
    private volatile long publishedRevision;

    WatchHub(Journal journal, int bufferBatches, long revision, long compactedRevision) {
        this.journal = journal;
        this.bufferBatches = bufferBatches;
        this.publishedRevision = revision;
        this.compactedRevision = compactedRevision;
    }

    Watch watch(String prefix, long fromRevision, WatchListener listener) {
        WatchTask task;
        synchronized (registration) {
            if (closed) {
                throw new StoreClosedException();
            }
            if (fromRevision < compactedRevision) {
                throw new CompactedException(fromRevision, compactedRevision);
            }
            task = new WatchTask(this, prefix, fromRevision, listener, bufferBatches);
            watches.add(task);
        }
        task.start();
        return task;
    }

    /** Called by the writer once a batch is durable and visible to reads. */
    void publish(List<ChangeSet> batch) {
        // Under the registration lock, so that a watch registering concurrently either gets
        // this batch or, starting after it, sees the new revision and reads it from history.
        // Offers never block, so the writer holds the lock only briefly.
        synchronized (registration) {
            publishedRevision = batch.getLast().revision();
            for (WatchTask task : watches) {
                task.offer(batch);
            }
        }
    }

    long publishedRevision() {
        return publishedRevision;
    }

    List<ChangeSet> history(long afterRevision, long throughRevision) {
        return journal.read(afterRevision, throughRevision);
    }

    long compactedRevision() {
        synchronized (registration) {
            return compactedRevision;
        }
    }

    /**
     * Moves the compaction mark toward {@code target}, but never past a watch's position, and
     * returns the mark. History up to the mark may then be discarded.
     */
    long advanceCompaction(long target) {
        synchronized (registration) {
            long mark = target;
            for (WatchTask task : watches) {
                mark = Math.min(mark, task.deliveredThrough());
            }
            compactedRevision = Math.max(compactedRevision, mark);
            return compactedRevision;
        }
    }

    void remove(WatchTask task) {
        synchronized (registration) {
            watches.remove(task);
        }
    }

    void close() {
        List<WatchTask> open;
        synchronized (registration) {
            closed = true;
            open = List.copyOf(watches);
        }
        // Outside the lock: closing waits for each dispatcher, which removes itself under it.
        for (WatchTask task : open) {
            task.close();
        }
    }
}
