package dev.stevedore.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/** A journal that keeps its history on the heap and forgets everything when the process ends. */
final class MemoryJournal implements Journal {

    private final ConcurrentSkipListMap<Long, ChangeSet> history = new ConcurrentSkipListMap<>();

    @Override
    public long append(List<ChangeSet> changes) {
        for (ChangeSet change : changes) {
            history.put(change.revision(), change);
        }
        return 0;
    }

    @Override
    public List<ChangeSet> read(long afterRevision, long throughRevision) {
        if (throughRevision <= afterRevision) {
            return List.of();
        }
        return new ArrayList<>(history.subMap(afterRevision, false, throughRevision, true).values());
    }

    @Override
    public void compact(long throughRevision) {
        history.headMap(throughRevision, true).clear();
    }

    @Override
    public void close() {
        history.clear();
    }
}
