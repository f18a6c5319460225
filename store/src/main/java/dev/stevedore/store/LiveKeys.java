package dev.stevedore.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;

/**
 * The live keys and the current revision, held in memory so that reads never touch disk.
 * Only the store's writer changes them, a whole batch of revisions at a time.
 */
final class LiveKeys {

    private final ConcurrentSkipListMap<String, KeyValue> keys;
    // Guards reads against a batch half applied: a range, and a get, see all of a batch or none of
    // it, so successive gets never go back in time. Readers go optimistic first so that they
    // almost never wait for, or hold up, the writer.
    private final StampedLock batchLock = new StampedLock();
    private volatile long revision;

    LiveKeys(Map<String, KeyValue> initial, long revision) {
        this.keys = new ConcurrentSkipListMap<>(initial);
        this.revision = revision;
    }

    long revision() {
        return revision;
    }

    /**
     * Read between batches, never in the middle of one: a caller that got one key of a transaction
     * finds the transaction's other keys on its next reads. (A plain map read could see the first
     * key of a batch still being applied and, a moment later, miss the next: a RunTask retried with
     * its clientToken found the token record but not yet the tasks written with it, and answered
     * no tasks.)
     */
    Optional<KeyValue> get(String key) {
        return betweenBatches(() -> Optional.ofNullable(keys.get(key)));
    }

    RangeResult range(String prefix, String startAfter, int limit) {
        return betweenBatches(() -> new RangeResult(scan(prefix, startAfter, limit), revision));
    }

    /** Runs {@code read} where no batch is being applied: optimistically, again under the lock if one was. */
    private <T> T betweenBatches(Supplier<T> read) {
        long stamp = batchLock.tryOptimisticRead();
        if (stamp != 0) {
            T found = read.get();
            if (batchLock.validate(stamp)) {
                return found;
            }
        }
        stamp = batchLock.readLock();
        try {
            return read.get();
        } finally {
            batchLock.unlockRead(stamp);
        }
    }

    private List<KeyValue> scan(String prefix, String startAfter, int limit) {
        // Keys sharing a prefix are contiguous in String order, so the scan starts at the later
        // of the prefix and startAfter and stops at the first key without the prefix.
        boolean fromPrefix = startAfter.compareTo(prefix) < 0;
        Map<String, KeyValue> tail = fromPrefix ? keys.tailMap(prefix, true) : keys.tailMap(startAfter, false);
        List<KeyValue> found = new ArrayList<>();
        for (Map.Entry<String, KeyValue> entry : tail.entrySet()) {
            if (!entry.getKey().startsWith(prefix) || found.size() == limit) {
                break;
            }
            found.add(entry.getValue());
        }
        return found;
    }

    /** Makes committed change sets visible, all at once. */
    void apply(List<ChangeSet> changes) {
        long stamp = batchLock.writeLock();
        try {
            for (ChangeSet change : changes) {
                for (WatchEvent event : change.events()) {
                    switch (event.type()) {
                        case PUT -> keys.put(event.kv().key(), event.kv());
                        case DELETE -> keys.remove(event.kv().key());
                    }
                }
            }
            revision = changes.getLast().revision();
        } finally {
            batchLock.unlockWrite(stamp);
        }
    }
}
