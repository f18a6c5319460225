package dev.stevedore.control.state;

import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Txn;
import dev.stevedore.store.TxnResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One optimistic read-modify-write against the store: every key read becomes a compare-and-set
 * condition on the revision seen, every write is applied in a single transaction.
 *
 * <p>Handlers write their logic once as a function of a {@code StoreTx}; {@link #run} reruns it
 * from scratch when another writer got there first, so decisions are always made on current state.
 */
public final class StoreTx {
    /** Give up after this long of losing races; by then something is wrong, not merely busy. */
    private static final long GIVE_UP_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    /** Striped locks that let writers of the same hot record queue instead of racing. */
    private static final java.util.concurrent.locks.ReentrantLock[] STRIPES = new java.util.concurrent.locks.ReentrantLock[256];

    static {
        for (int i = 0; i < STRIPES.length; i++) {
            STRIPES[i] = new java.util.concurrent.locks.ReentrantLock();
        }
    }

    private final StateStore store;
    private final Map<String, Long> readRevisions = new LinkedHashMap<>();
    private final Map<String, Optional<byte[]>> writes = new LinkedHashMap<>();

    private StoreTx(StateStore store) {
        this.store = store;
    }

    /**
     * Runs {@code body} until its reads are still current at commit time, then returns its result.
     * The body must have no side effects other than through the transaction.
     */
    public static <R> R run(StateStore store, Function<StoreTx, R> body) {
        long start = System.nanoTime();
        long backoffMicros = 50;
        for (int attempt = 1; ; attempt++) {
            StoreTx tx = new StoreTx(store);
            R result = body.apply(tx);
            if (tx.commit()) {
                return result;
            }
            if (System.nanoTime() - start > GIVE_UP_NANOS) {
                throw new IllegalStateException("gave up after " + attempt + " conflicting attempts");
            }
            // Randomised exponential backoff so that racing writers stop colliding in lockstep.
            java.util.concurrent.locks.LockSupport.parkNanos(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong(backoffMicros) * 1000);
            backoffMicros = Math.min(backoffMicros * 2, 20_000);
        }
    }

    /**
     * Like {@link #run}, but writers that name the same {@code hotKey} in this process take turns,
     * so that a record everyone updates (a family's revision counter) is not fought over. The
     * compare-and-set still guarantees correctness across processes; the lock only avoids waste.
     */
    public static <R> R runSerialized(StateStore store, String hotKey, Function<StoreTx, R> body) {
        java.util.concurrent.locks.ReentrantLock lock = STRIPES[Math.floorMod(hotKey.hashCode(), STRIPES.length)];
        lock.lock();
        try {
            return run(store, body);
        } finally {
            lock.unlock();
        }
    }

    /** Reads a record and makes the commit conditional on it not changing (or staying absent). */
    public <T> Optional<T> read(String key, Class<T> type) {
        if (writes.containsKey(key)) {
            return writes.get(key).map(bytes -> Records.decode(bytes, type));
        }
        Optional<KeyValue> kv = store.get(key);
        readRevisions.putIfAbsent(key, kv.map(KeyValue::modRevision).orElse(0L));
        return kv.map(v -> Records.decode(v.value(), type));
    }

    /** Like {@link #read(String, Class)}, decoding through {@code cache} so an unchanged record is decoded once. */
    public <T> Optional<T> read(String key, DecodeCache<T> cache) {
        if (writes.containsKey(key)) {
            return writes.get(key).map(bytes -> Records.decode(bytes, cache.type()));
        }
        Optional<KeyValue> kv = store.get(key);
        readRevisions.putIfAbsent(key, kv.map(KeyValue::modRevision).orElse(0L));
        return kv.map(cache::decode);
    }

    /** Reads every record under a prefix without conditions; use for checks that tolerate a race. */
    public <T> List<T> scan(String prefix, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (KeyValue kv : store.range(prefix)) {
            out.add(Records.decode(kv.value(), type));
        }
        return out;
    }

    public void put(String key, Object record) {
        writes.put(key, Optional.of(Records.encode(record)));
    }

    public void delete(String key) {
        writes.put(key, Optional.empty());
    }

    private boolean commit() {
        if (writes.isEmpty()) {
            return true;
        }
        Txn.Builder txn = Txn.builder();
        readRevisions.forEach(txn::requireModRevision);
        writes.forEach((key, value) -> {
            if (value.isPresent()) {
                txn.put(key, value.get());
            } else {
                txn.delete(key);
            }
        });
        TxnResult result = store.commit(txn.build());
        return result.succeeded();
    }
}
