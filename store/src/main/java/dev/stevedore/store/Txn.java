package dev.stevedore.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A transaction: conditions that must all hold, and the ops applied together under one new
 * revision when they do. With no ops it is a pure check.
 *
 * <p>A key may appear in at most one op: a second op on the same key is rejected with
 * {@link IllegalArgumentException} when the transaction is built, because it is almost always a
 * bug in the caller and etcd refuses it too. Conditions may name any keys, repeatedly.
 */
public record Txn(List<Condition> conditions, List<Op> ops) {

    public Txn {
        conditions = List.copyOf(conditions);
        ops = List.copyOf(ops);
        Set<String> seen = new HashSet<>();
        for (Op op : ops) {
            if (!seen.add(op.key())) {
                throw new IllegalArgumentException("key appears in more than one op of a txn: " + op.key());
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects conditions and ops in order; {@link #build()} checks them. */
    public static final class Builder {
        private final List<Condition> conditions = new ArrayList<>();
        private final List<Op> ops = new ArrayList<>();

        private Builder() {}

        /** Requires the key's modRevision to be {@code modRevision}; 0 means the key must not exist. */
        public Builder requireModRevision(String key, long modRevision) {
            return condition(new Condition.ModRevisionEquals(key, modRevision));
        }

        /** Requires the key's version to be {@code version}; 0 means the key must not exist. */
        public Builder requireVersion(String key, long version) {
            return condition(new Condition.VersionEquals(key, version));
        }

        /** Requires the key not to exist. */
        public Builder requireAbsent(String key) {
            return requireModRevision(key, 0);
        }

        public Builder condition(Condition condition) {
            conditions.add(Objects.requireNonNull(condition, "condition"));
            return this;
        }

        public Builder put(String key, byte[] value) {
            return op(new Op.Put(key, value));
        }

        /** Puts the UTF-8 encoding of {@code value}. */
        public Builder put(String key, String value) {
            return put(key, value.getBytes(StandardCharsets.UTF_8));
        }

        public Builder delete(String key) {
            return op(new Op.Delete(key));
        }

        public Builder op(Op op) {
            ops.add(Objects.requireNonNull(op, "op"));
            return this;
        }

        /** @throws IllegalArgumentException if two ops name the same key */
        public Txn build() {
            return new Txn(conditions, ops);
        }
    }
}
