package dev.stevedore.control.logs.sqlite;

/** The log database failed: a server-side fault, answered as one. */
public final class LogStoreException extends RuntimeException {
    LogStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
