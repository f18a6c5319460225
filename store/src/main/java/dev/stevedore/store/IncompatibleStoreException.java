package dev.stevedore.store;

/**
 * A store file this build cannot use: written by a newer schema version, or not a Stevedore
 * store at all. The file is left untouched.
 */
public class IncompatibleStoreException extends StoreException {
    public IncompatibleStoreException(String message) {
        super(message);
    }

    public IncompatibleStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
