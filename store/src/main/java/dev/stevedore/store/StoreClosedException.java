package dev.stevedore.store;

/** The store was used after {@link StateStore#close()}. */
public class StoreClosedException extends StoreException {
    public StoreClosedException() {
        super("the state store is closed");
    }
}
