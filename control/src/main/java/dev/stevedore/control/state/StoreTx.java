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
    private static final int MAX_ATTEMPTS = 64;

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
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            StoreTx tx = new StoreTx(store);
            R result = body.apply(tx);
            if (tx.commit()) {
                return result;
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("gave up after " + MAX_ATTEMPTS + " conflicting attempts");
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
