package dev.stevedore.store;

import java.util.Arrays;
import java.util.Objects;

/** A change a {@link Txn} makes when its conditions hold. */
public sealed interface Op {

    /** The key this op changes. */
    String key();

    /** Sets the key's value, creating the key if it does not exist. The value is copied in and out. */
    record Put(String key, byte[] value) implements Op {
        public Put {
            Keys.requireValid(key);
            value = Objects.requireNonNull(value, "value").clone();
        }

        /** A copy of the value. */
        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Put other && key.equals(other.key) && Arrays.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return 31 * key.hashCode() + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Put[key=" + key + ", value=" + value.length + " bytes]";
        }
    }

    /** Removes the key; removing a key that does not exist changes nothing. */
    record Delete(String key) implements Op {
        public Delete {
            Keys.requireValid(key);
        }
    }
}
