package dev.stevedore.store;

/**
 * A watch asked for changes the store no longer keeps: history up to and including
 * {@link #compactedRevision()} has been discarded, so a watch must start at or after it.
 * The usual remedy is to list afresh ({@link StateStore#rangeWithRevision}) and watch from there.
 */
public class CompactedException extends StoreException {
    private final long requestedRevision;
    private final long compactedRevision;

    public CompactedException(long requestedRevision, long compactedRevision) {
        super("history is compacted through revision " + compactedRevision
                + "; cannot watch from revision " + requestedRevision);
        this.requestedRevision = requestedRevision;
        this.compactedRevision = compactedRevision;
    }

    public long requestedRevision() {
        return requestedRevision;
    }

    public long compactedRevision() {
        return compactedRevision;
    }
}
