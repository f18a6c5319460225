package dev.stevedore.control.logs.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The log database's file: its settings, its schema, and the connections the store opens on it. */
final class LogDatabaseFile {
    private LogDatabaseFile() {
    }

    /** The one writing connection: the file in WAL mode with full sync, the schema made if absent. */
    static Connection writer(Path file) throws SQLException {
        Connection connection = connect(file);
        try (Statement statement = connection.createStatement()) {
            // Only a new file takes it (before WAL mode): rows are small and written in thousands, and bigger
            // pages mean fewer log frames per commit, each a header and a checksum of its own.
            statement.execute("PRAGMA page_size = 16384");
            if (!"wal".equalsIgnoreCase(queryString(statement, "PRAGMA journal_mode = WAL"))) {
                throw new SQLException("cannot switch " + file + " to WAL mode");
            }
            statement.execute("PRAGMA synchronous = FULL");
            statement.execute("PRAGMA cache_size = -65536");
            statement.execute("PRAGMA wal_autocheckpoint = 4096");
            createSchema(statement);
        }
        connection.setAutoCommit(false);
        return connection;
    }

    /** A reading connection, which may not write. */
    static Connection reader(Path file) throws SQLException {
        Connection reader = connect(file);
        try (Statement statement = reader.createStatement()) {
            statement.execute("PRAGMA query_only = true");
            statement.execute("PRAGMA cache_size = -16384");
        }
        return reader;
    }

    private static Connection connect(Path file) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement statement = connection.createStatement()) {
            // Readers and the writer share the file; a checkpoint may briefly hold a lock.
            statement.execute("PRAGMA busy_timeout = 10000");
        }
        return connection;
    }

    private static void createSchema(Statement statement) throws SQLException {
        statement.execute("CREATE TABLE IF NOT EXISTS groups (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                + "account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, created INTEGER NOT NULL, "
                + "retention INTEGER, tags TEXT NOT NULL, UNIQUE (account, region, name))");
        statement.execute("CREATE TABLE IF NOT EXISTS streams (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                + "group_id INTEGER NOT NULL, name TEXT NOT NULL, created INTEGER NOT NULL, first_ts INTEGER, "
                + "last_ts INTEGER, last_ingested INTEGER, stored_bytes INTEGER NOT NULL, UNIQUE (group_id, name))");
        statement.execute("CREATE INDEX IF NOT EXISTS streams_by_last_event ON streams (group_id, last_ts, name)");
        // AUTOINCREMENT: an event number is never reused, even after the newest events were deleted,
        // because readers resume after a number and the CLI tells events apart by it.
        statement.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                + "stream_id INTEGER NOT NULL, group_id INTEGER NOT NULL, ts INTEGER NOT NULL, "
                + "ingested INTEGER NOT NULL, message TEXT NOT NULL)");
        statement.execute("CREATE INDEX IF NOT EXISTS events_by_stream ON events (stream_id, ts)");
        statement.execute("CREATE INDEX IF NOT EXISTS events_by_group ON events (group_id, ts)");
        // Groups deleted whose events are still to be purged (group numbers are never reused).
        statement.execute("CREATE TABLE IF NOT EXISTS deleted_groups (id INTEGER PRIMARY KEY)");
    }

    private static String queryString(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : "";
        }
    }
}
