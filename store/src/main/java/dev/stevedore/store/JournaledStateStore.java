package dev.stevedore.store;

import java.util.Objects;
import java.util.Optional;

/**
 * A durable {@link StateStore} over a {@link Journal} supplied from outside this module: reads
 * from the in-memory live keys, transactions evaluated by the one group-commit writer, watches
 * replayed from the journal's history, exactly as {@link SqliteStateStore} does with its file.
 */
public final class JournaledStateStore extends CoreBackedStateStore {

    private JournaledStateStore(StoreCore core) {
        super(core);
    }

    /**
     * Opens a store on {@code journal}, starting from {@code contents} (what the journal held when
     * it was opened); the store owns the journal from now on and closes it.
     *
     * @param writerName the name of the group-commit writer thread
     */
    public static JournaledStateStore open(Journal journal, Journal.Contents contents, StoreOptions options,
                                           String writerName, StoreObserver observer) {
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(contents, "contents");
        return new JournaledStateStore(new StoreCore(journal, contents.keys(), contents.revision(),
                contents.compactedRevision(), options, Optional.of(writerName), observer));
    }

    /**
     * Opens a store on {@code journal} that follows another process's commits: reads and watches
     * as usual, commits refused ({@link FollowerStoreException}) until {@link #stopFollowing}; the
     * caller hands it what the other process commits through {@link #applyCommitted}.
     */
    public static JournaledStateStore following(Journal journal, Journal.Contents contents, StoreOptions options,
                                                String writerName, StoreObserver observer) {
        JournaledStateStore store = open(journal, contents, options, writerName, observer);
        store.core().startFollowing();
        return store;
    }

    /** Whether this store still follows another process's commits. */
    public boolean isFollowing() {
        return core().following();
    }

    /**
     * While following: the change sets another process committed after this store's revision
     * (contiguous, ascending), made visible to reads and watches. One caller at a time.
     *
     * @throws StoreException if they do not start right after the current revision
     * @throws IllegalStateException once this store writes its own changes
     */
    public void applyCommitted(java.util.List<ChangeSet> changes) {
        core().applyCommitted(changes);
    }

    /**
     * Ends following: commits are taken from now on and appended to the journal, which must by now
     * be where this store is (its revision) and able to write.
     */
    public void stopFollowing() {
        core().stopFollowing();
    }
}
