package dev.stevedore.control.logs.sqlite;

import java.sql.SQLException;

/** The log database failed: a server-side fault, answered as one. */
public final class LogStoreException extends RuntimeException {
    /** SQLite's primary result code for a write that found the disk (or the file's quota) full. */
    private static final int SQLITE_FULL = 13;

    LogStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the write failed because the disk under the log database is full: the write changed
     * nothing, reads go on, and writes work again once there is space.
     */
    public boolean outOfSpace() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            // Extended result codes keep the primary code in their low byte.
            if (t instanceof SQLException e && (e.getErrorCode() & 0xff) == SQLITE_FULL) {
                return true;
            }
        }
        return false;
    }
}
