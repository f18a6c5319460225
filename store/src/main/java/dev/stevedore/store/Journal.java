package dev.stevedore.store;

import java.util.List;
import java.util.Map;

/**
 * Where a store keeps its committed changes: the durable record of the live keys and the history
 * that watches replay. Only the store's single writer appends and compacts; watches read
 * concurrently. Public so that a backend living in a module of its own (etcd) can supply one to
 * {@link JournaledStateStore}; the control plane never sees it.
 */
public interface Journal {

    /** What a journal holds when it is opened: the live keys, the revision, and how far history is compacted. */
    record Contents(Map<String, KeyValue> keys, long revision, long compactedRevision) {
        public Contents {
            keys = Map.copyOf(keys);
        }
    }

    /**
     * Records the change sets (ascending, contiguous revisions) atomically; durable when this returns.
     *
     * @return the nanoseconds spent making them durable (the commit and its sync), 0 if nothing is synced
     */
    long append(List<ChangeSet> changes);

    /** The kept change sets with {@code afterRevision < revision <= throughRevision}, ascending. */
    List<ChangeSet> read(long afterRevision, long throughRevision);

    /** Discards the history up to and including {@code throughRevision}. */
    void compact(long throughRevision);

    void close();
}
