package dev.stevedore.store;

/**
 * Tuning of a store backend.
 *
 * @param retainedRevisions how many of the latest revisions' changes are kept for watches to
 *     replay; older history is compacted away (a watch still behind holds compaction back)
 * @param watchBufferBatches how many committed batches a watch buffers in memory while its
 *     listener is busy; beyond that it stops buffering and later re-reads the changes from the
 *     kept history, so memory stays bounded and nothing is lost
 */
public record StoreOptions(long retainedRevisions, int watchBufferBatches) {

    public StoreOptions {
        if (retainedRevisions < 0) {
            throw new IllegalArgumentException("retainedRevisions must not be negative: " + retainedRevisions);
        }
        if (watchBufferBatches < 1) {
            throw new IllegalArgumentException("watchBufferBatches must be positive: " + watchBufferBatches);
        }
    }

    /** Keeps the last 100,000 revisions and buffers up to 1,024 batches per watch. */
    public static StoreOptions defaults() {
        return new StoreOptions(100_000, 1_024);
    }

    public StoreOptions withRetainedRevisions(long retainedRevisions) {
        return new StoreOptions(retainedRevisions, watchBufferBatches);
    }

    public StoreOptions withWatchBufferBatches(int watchBufferBatches) {
        return new StoreOptions(retainedRevisions, watchBufferBatches);
    }
}
