package dev.stevedore.server.lb;

import dev.stevedore.control.elb.snapshot.ElbSnapshot;
import dev.stevedore.control.elb.snapshot.ElbSnapshots;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Watch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's load balancer configuration as it changes: the ELB records are read whole into a snapshot and handed
 * to one consumer at start, whenever a key under the ELB prefix changes, and once a second while a target is
 * draining (its delay running out changes no key). Both data planes are fed from it: the one in this process
 * ({@link DataPlaneFeed}) and the ones in processes of their own ({@link ExternalDataPlanes}).
 *
 * <p>Re-reading everything on a change is simple and enough for the few hundred records a user's load balancers
 * make; changes that come in a burst are read together (one pending read at a time), on one thread, so the
 * consumer sees the snapshots in order and never two at once.
 */
final class ElbConfigWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ElbConfigWatch.class);

    private final StateStore store;
    private final Consumer<ElbSnapshot> consumer;
    private final ScheduledExecutorService worker;
    private final AtomicBoolean readPending = new AtomicBoolean();
    private final AtomicReference<ElbSnapshot> last = new AtomicReference<>();
    private ElbSnapshots snapshots;
    private Watch watch;

    ElbConfigWatch(StateStore store, String threadName, Consumer<ElbSnapshot> consumer) {
        this.store = store;
        this.consumer = consumer;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** A first read, handed over before this returns; then the watch. */
    void start(ElbSnapshots source) {
        this.snapshots = source;
        ElbSnapshot first = refresh();
        watch = store.watch(ElbSnapshots.watchPrefix(), first.revision() + 1, events -> requestRead());
        worker.scheduleWithFixedDelay(() -> {
            ElbSnapshot read = last.get();
            if (read != null && read.targetGroups().stream()
                    .anyMatch(g -> g.targets().stream().anyMatch(ElbSnapshot.TargetView::isDraining))) {
                requestRead();
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    private void requestRead() {
        if (readPending.compareAndSet(false, true)) {
            worker.execute(() -> {
                readPending.set(false);
                try {
                    refresh();
                } catch (RuntimeException e) {
                    LOG.warn("load balancer configuration not read", e);
                }
            });
        }
    }

    private synchronized ElbSnapshot refresh() {
        ElbSnapshot snapshot = snapshots.read();
        consumer.accept(snapshot);
        last.set(snapshot);
        return snapshot;
    }

    @Override
    public void close() {
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.debug("closing the ELB watch", e);
            }
        }
        worker.shutdownNow();
    }
}
