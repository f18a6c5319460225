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
}
