package dev.stevedore.store;

/**
 * A commit refused because this store follows another process's commits (a replica that is not
 * the leader): nothing was written, and the write belongs with the leader.
 */
public final class FollowerStoreException extends StoreException {
    public FollowerStoreException() {
        super("this replica's store follows the leader's and takes no commits; writes go to the leader");
    }
}
