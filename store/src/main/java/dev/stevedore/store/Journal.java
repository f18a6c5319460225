package dev.stevedore.store;

import java.util.List;

/**
 * Where a store keeps its committed changes: the durable record of the live keys (for the
 * SQLite backend) and the history that watches replay. Only the store's single writer appends
 * and compacts; watches read concurrently.
 */
interface Journal {

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
