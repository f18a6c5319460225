package dev.stevedore.control.ec2;

import dev.stevedore.control.state.Records;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;

import java.util.List;
import java.util.Optional;

/**
 * Reads of VPC records outside a transaction, for Describe calls and lookups: what a single read of
 * the store shows, decoded. Records under a prefix come in key order, which is id order.
 */
public final class Ec2Records {
    private Ec2Records() {
    }

    public static <T> List<T> all(StateStore store, String prefix, Class<T> type) {
        return store.range(prefix).stream().map(kv -> Records.decode(kv.value(), type)).toList();
    }

    public static <T> Optional<T> one(StateStore store, String key, Class<T> type) {
        return store.get(key).map(KeyValue::value).map(bytes -> Records.decode(bytes, type));
    }
}
