package dev.stevedore.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch and its dispatcher thread. The dispatcher keeps a position (the last revision it has
 * dealt with) and moves it forward one revision at a time: from the journal's history when it
 * starts, and whenever its buffer overflowed; otherwise from the batches the writer hands it.
 */
final class WatchTask implements Watch {

    private static final Logger log = LoggerFactory.getLogger(WatchTask.class);
    /** Revisions read from history at a time, to bound memory while catching up. */
    private static final int CATCH_UP_REVISIONS = 256;
    /** Queued to wake a dispatcher waiting for batches (on close, and when batches were dropped). */
    private static final List<ChangeSet> WAKE_UP = List.of();

    private final WatchHub hub;
    private final String prefix;
    private final WatchListener listener;
    private final int bufferBatches;
    private final LinkedBlockingQueue<List<ChangeSet>> buffer = new LinkedBlockingQueue<>();
    /** Set by the writer when it dropped a batch because the buffer was full. */
    private final AtomicBoolean missedBatches = new AtomicBoolean();
    private volatile long position;
    private volatile boolean closed;
    private volatile Thread dispatcher;

    WatchTask(WatchHub hub, String prefix, long fromRevision, WatchListener listener, int bufferBatches) {
        this.hub = hub;
        this.prefix = prefix;
        this.listener = listener;
        this.bufferBatches = bufferBatches;
        this.position = fromRevision;
    }

    void start() {
        dispatcher = Thread.ofPlatform().daemon().name("stevedore-watch " + prefix).start(this::dispatch);
    }

    /** The last revision this watch has dealt with; the hub keeps the history after it. */
    @Override
    public long deliveredThrough() {
        return position;
    }

    /** Called only by the writer thread, so the size check and the add cannot interleave. */
    void offer(List<ChangeSet> batch) {
        if (buffer.size() < bufferBatches) {
            buffer.add(batch);
        } else if (missedBatches.compareAndSet(false, true)) {
            // The dispatcher re-reads what it missed from history; the hub published the new
            // revision before offering, so the dispatcher's catch-up reaches this batch.
            buffer.add(WAKE_UP);
        }
    }

    private void dispatch() {
        boolean starting = true;
        try {
            while (!closed) {
                if (starting || missedBatches.getAndSet(false)) {
                    starting = false;
                    long published = hub.publishedRevision();
                    if (published > position) {
                        catchUp(published);
                    }
                    continue;
                }
                for (ChangeSet change : buffer.take()) {
                    if (closed) {
                        return;
                    }
                    if (change.revision() <= position) {
                        continue; // already read from history
                    }
                    if (change.revision() > position + 1) {
                        catchUp(change.revision() - 1);
                    }
                    deliver(change);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closed) {
                log.error("watch on prefix '{}' stopped at revision {}", prefix, position, e);
            }
        } finally {
            closed = true;
            hub.remove(this);
        }
    }

    private void catchUp(long throughRevision) {
        while (position < throughRevision && !closed) {
            long upTo = Math.min(throughRevision, position + CATCH_UP_REVISIONS);
            for (ChangeSet change : hub.history(position, upTo)) {
                if (closed) {
                    return;
                }
                deliver(change);
            }
            position = upTo;
        }
    }

    private void deliver(ChangeSet change) {
        List<WatchEvent> mine = change.events();
        if (!prefix.isEmpty()) {
            mine = new ArrayList<>(mine.size());
            for (WatchEvent event : change.events()) {
                if (event.kv().key().startsWith(prefix)) {
                    mine.add(event);
                }
            }
            mine = List.copyOf(mine);
        }
        if (!mine.isEmpty() && !closed) {
            try {
                listener.onEvents(mine);
            } catch (RuntimeException e) {
                log.error("watch listener on prefix '{}' failed at revision {}", prefix, change.revision(), e);
            }
        }
        position = change.revision();
    }

    @Override
    public void close() {
        closed = true;
        hub.remove(this);
        buffer.add(WAKE_UP);
        Thread thread = dispatcher;
        if (thread != null && thread != Thread.currentThread()) {
            joinUninterruptibly(thread);
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
