package dev.stevedore.store;

/** A failure of the state store: the root of the store's unchecked exceptions. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
