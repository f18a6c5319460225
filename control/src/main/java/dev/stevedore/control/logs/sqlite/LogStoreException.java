package dev.stevedore.control.logs.sqlite;

import dev.stevedore.store.SqliteTransactions;

/** The log database failed: a server-side fault, answered as one. */
public final class LogStoreException extends RuntimeException {
    LogStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the write failed because the disk under the log database is full: the write changed
     * nothing, reads go on, and writes work again once there is space.
     */
    public boolean outOfSpace() {
        return SqliteTransactions.diskFull(getCause());
    }
}
