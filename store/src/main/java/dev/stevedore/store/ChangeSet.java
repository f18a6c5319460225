package dev.stevedore.store;

import java.util.List;

/** Everything one committed revision changed, in op order: the unit of the journal and of watch delivery. */
public record ChangeSet(long revision, List<WatchEvent> events) {
    public ChangeSet {
        events = List.copyOf(events);
    }
}
