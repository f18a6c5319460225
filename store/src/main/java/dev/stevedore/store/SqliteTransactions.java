package dev.stevedore.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteException;

/**
 * What every SQLite file of Stevedore's (the state store, the log store) needs after a failed write:
 * the failure's primary result code, and a connection left inside a transaction again.
 */
public final class SqliteTransactions {
    /** SQLite's primary result code for a write that found the disk (or the file's quota) full. */
    public static final int SQLITE_FULL = 13;

    private SqliteTransactions() {
    }

    /** The primary result code (extended codes keep it in their low byte). */
    public static int resultCode(SQLException e) {
        return e instanceof SQLiteException sqlite ? sqlite.getResultCode().code & 0xff : e.getErrorCode() & 0xff;
    }

    /** Whether {@code failure} or one of its causes is SQLite finding the disk full. */
    public static boolean diskFull(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e && resultCode(e) == SQLITE_FULL) {
                return true;
            }
        }
        return false;
    }

    /**
     * Ends the failed transaction of a connection that does not auto-commit and begins the next, as
     * the driver does after every commit. When SQLite rolled the transaction back itself (it does when
     * the disk is full), the driver's rollback fails before it begins the next one, which would leave
     * every later statement committing on its own: the next transaction is begun here then.
     *
     * @param failure the write's failure, which keeps a failed begin as a suppressed exception
     */
    public static void rollbackAndBegin(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException alreadyRolledBack) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("BEGIN");
            } catch (SQLException begin) {
                failure.addSuppressed(begin);
            }
        }
    }
}
