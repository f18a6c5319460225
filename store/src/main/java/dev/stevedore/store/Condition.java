package dev.stevedore.store;

/** A compare-and-set guard of a {@link Txn}: the transaction applies only if all of them hold. */
public sealed interface Condition {

    /** The key's modRevision equals {@code modRevision}; 0 means the key must not exist. */
    record ModRevisionEquals(String key, long modRevision) implements Condition {
        public ModRevisionEquals {
            Keys.requireValid(key);
            if (modRevision < 0) {
                throw new IllegalArgumentException("modRevision must not be negative: " + modRevision);
            }
        }
    }
}
