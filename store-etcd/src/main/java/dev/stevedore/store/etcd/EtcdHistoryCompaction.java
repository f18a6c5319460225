package dev.stevedore.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.options.CompactOption;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts etcd's own history (its MVCC revisions, not our log under {@code P/log/}), as
 * Kubernetes' API server does: etcd keeps every version of every key until compacted, so a store
 * that writes for long fills etcd's backend quota (2 GiB by default) and etcd then refuses every
 * write (its NOSPACE alarm). Every period it compacts to the etcd revision it saw one period
 * earlier, so whoever read at an etcd revision within the last period (an open's snapshot read)
 * still finds it. Only the store's writer runs one, on its own thread, never in a commit's way:
 * a failed compaction is logged and the next period tries again. Compacting etcd's history
 * changes no key and is safe for anyone at any time; a leader whose term is not held skips it.
 */
final class EtcdHistoryCompaction implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdHistoryCompaction.class);
    private static final long ATTEMPT_SECONDS = 10;

    private final KV kv;
    private final ByteSequence probe;
    private final BooleanSupplier writes;
    private final String where;
    private final ScheduledExecutorService timer;
    /** The etcd revision seen at the last period; the next one compacts to it. Only the timer's thread touches it. */
    private long seen;

    /**
     * Starts compacting every {@code period}.
     *
     * @param probe  a key read to learn etcd's current revision (any key does; its answer's header says)
     * @param writes whether this process still writes the store (a leader's term held)
     */
    static EtcdHistoryCompaction start(KV kv, ByteSequence probe, Duration period, BooleanSupplier writes, String where) {
        EtcdHistoryCompaction compaction = new EtcdHistoryCompaction(kv, probe, writes, where);
        compaction.timer.execute(compaction::observe);
        compaction.timer.scheduleWithFixedDelay(compaction::compact, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
        return compaction;
    }

    private EtcdHistoryCompaction(KV kv, ByteSequence probe, BooleanSupplier writes, String where) {
        this.kv = kv;
        this.probe = probe;
        this.writes = writes;
        this.where = where;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("stevedore-etcd-history-compaction " + where).factory());
    }

    private void observe() {
        try {
            seen = kv.get(probe).get(ATTEMPT_SECONDS, TimeUnit.SECONDS).getHeader().getRevision();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("could not read etcd's revision at {} (its history is compacted a period later): {}", where, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        }
    }

    private void compact() {
        long through = seen;
        observe();
        if (through == 0 || !writes.getAsBoolean()) {
            return;
        }
        try {
            kv.compact(through, CompactOption.DEFAULT).get(ATTEMPT_SECONDS, TimeUnit.SECONDS);
            LOG.debug("compacted etcd's history at {} through etcd revision {}", where, through);
        } catch (ExecutionException e) {
            if (EtcdRequests.compactedRevision(e)) {
                return; // etcd's operator (--auto-compaction-*) or an earlier leader compacted further already
            }
            LOG.warn("could not compact etcd's history at {} through etcd revision {} (tried again in a period): {}",
                    where, through, e.getCause().toString());
        } catch (TimeoutException e) {
            LOG.warn("compacting etcd's history at {} through etcd revision {} took over {} s (tried again in a period)",
                    where, through, ATTEMPT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        } catch (RuntimeException e) {
            LOG.warn("could not compact etcd's history at {} (tried again in a period): {}", where, e.toString());
        }
    }

    /** Stops compacting (one under way is abandoned: etcd finishes or drops it, either is fine). */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(ATTEMPT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
