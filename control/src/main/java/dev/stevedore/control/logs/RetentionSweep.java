package dev.stevedore.control.logs;

import java.time.Clock;

/**
 * Deletes the events of every group with a retention policy that are older than it, and the events of
 * deleted groups. Reads never return either whether or not a sweep has run (they cut at the same age;
 * a deleted group cannot be named), so the sweep only gives the space back; it deletes in bounded
 * batches so that ingest waits little behind it.
 */
public final class RetentionSweep {
    private static final int BATCH = 10_000;

    private final LogStore store;
    private final Clock clock;

    public RetentionSweep(LogStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** One pass over every group with a retention policy; how many events it deleted. */
    public long sweep() {
        long now = clock.millis();
        long deleted = 0;
        for (LogGroupRow group : store.groupsWithRetention()) {
            long cutoff = LogEventReads.retentionCutoff(group, now);
            int batch;
            do {
                batch = store.deleteEventsBefore(group.id(), cutoff, BATCH);
                deleted += batch;
            } while (batch == BATCH);
        }
        int purged;
        do {
            purged = store.purgeDeletedGroups(BATCH);
            deleted += purged;
        } while (purged == BATCH);
        return deleted;
    }
}
