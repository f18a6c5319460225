package dev.stevedore.store;

import java.util.List;

/** Everything one committed revision changed, in op order: the unit of the journal and of watch delivery. */
record ChangeSet(long revision, List<WatchEvent> events) {
    ChangeSet {
        events = List.copyOf(events);
    }
}
