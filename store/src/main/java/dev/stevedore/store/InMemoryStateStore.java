package dev.stevedore.store;

import java.util.Map;
import java.util.Optional;

/**
 * A {@link StateStore} that lives on the heap and is gone when closed: for unit tests and
 * tools. Commits run on the caller's thread; watches and history behave as in the durable
 * backend, compaction included.
 */
public final class InMemoryStateStore extends CoreBackedStateStore {


    public InMemoryStateStore() {
        this(StoreOptions.defaults());
    }

    public InMemoryStateStore(StoreOptions options) {
        super(new StoreCore(new MemoryJournal(), Map.of(), 0, 0, options, Optional.empty(),
                StoreObserver.NONE));
    }
}
