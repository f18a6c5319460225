package dev.stevedore.store;

/**
 * A commit refused because the store's disk is full. Nothing of it was written and the store is
 * as it was before: reads go on, and later commits succeed once there is space again (unlike
 * other write failures, after which the store's file may no longer match its memory).
 */
public final class StoreFullException extends StoreException {
    public StoreFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
