package dev.stevedore.control.state;

import dev.stevedore.store.KeyValue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decoded records kept by key and modification revision, for a reader that reads the same records
 * again and again while they seldom change (a controller's pass reads its service twice). A record
 * is decoded again only when its revision moved. The records handed out are shared: callers must
 * treat them, lists included, as the immutable values they are meant to be.
 *
 * @param <T> the record type
 */
public final class DecodeCache<T> {
    private record Entry<T>(long modRevision, T value) {
    }

    private final Class<T> type;
    private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();

    public DecodeCache(Class<T> type) {
        this.type = type;
    }

    public Class<T> type() {
        return type;
    }

    /** The record {@code kv} holds, decoded once per revision. */
    public T decode(KeyValue kv) {
        Entry<T> cached = entries.get(kv.key());
        if (cached != null && cached.modRevision() == kv.modRevision()) {
            return cached.value();
        }
        T value = Records.decode(kv.value(), type);
        entries.put(kv.key(), new Entry<>(kv.modRevision(), value));
        return value;
    }

    /** Forgets a key whose record is gone, so the cache does not outlive it. */
    public void forget(String key) {
        entries.remove(key);
    }
}
