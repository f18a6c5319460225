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

    /**
     * The key's version (how many times it was written since it was created) equals {@code version};
     * 0 means the key must not exist. A writer that alone changes a set of keys can predict their
     * versions ahead of its own commits, which a revision it has not been told yet cannot give.
     */
    record VersionEquals(String key, long version) implements Condition {
        public VersionEquals {
            Keys.requireValid(key);
            if (version < 0) {
                throw new IllegalArgumentException("version must not be negative: " + version);
            }
        }
    }
}
