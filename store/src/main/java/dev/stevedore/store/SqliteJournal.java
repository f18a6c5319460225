package dev.stevedore.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The journal of {@link SqliteStateStore}: one SQLite file holding the changes ({@code changelog}:
 * the kept history, and the current value of every live key), the live keys ({@code kv}, pointing
 * at their values in the changelog) and the store's counters ({@code meta}); see
 * {@link SqliteSchema}.
 *
 * <p>The file is opened in WAL mode with {@code synchronous=FULL}, so a committed append is
 * on disk before {@link #append} returns, and with an exclusive lock, so that no second process
 * can write behind the back of the in-memory copy. Keys are stored as UTF-8 blobs to keep the
 * database's text handling out of the way.
 */
final class SqliteJournal implements Journal {

    /** The schema this build writes; earlier versions are upgraded on open, later ones refused. */
    static final int SCHEMA_VERSION = 2;
    /** Marks the file as a Stevedore store ("Stev"), so that foreign databases are refused too. */
    static final int APPLICATION_ID = 0x53746576;

    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_NOTADB = 26;

    private final Path file;
    private final Connection connection;
    // The writer and catching-up watches share the one connection: the exclusive file lock
    // belongs to it, so a second connection could not read.
    private final ReentrantLock connectionLock = new ReentrantLock();
    private final PreparedStatement insertChange;
    private final PreparedStatement releaseValue;
    private final PreparedStatement upsertKey;
    private final PreparedStatement deleteKey;
    private final PreparedStatement setMeta;
    private final PreparedStatement readChanges;
    private final PreparedStatement deleteChanges;
    /**
     * The compaction mark as the file has it (guarded by connectionLock). Up to it the changelog
     * holds only live keys' values, which are not history and must never be replayed.
     */
    private long compactedRevision;

    private SqliteJournal(Path file, Connection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.insertChange = connection.prepareStatement(
                "INSERT INTO changelog (revision, seq, type, key, value, create_revision, version) VALUES (?, ?, ?, ?, ?, ?, ?)");
        // Drops the row of a key's value that is about to be replaced, if compaction has passed it
        // and kept it only because it was the key's value. Later rows are left to compaction.
        this.releaseValue = connection.prepareStatement(
                "DELETE FROM changelog WHERE (revision, seq) = (SELECT mod_revision, seq FROM kv WHERE key = ? AND mod_revision <= ?)");
        this.upsertKey = connection.prepareStatement(
                "INSERT INTO kv (key, create_revision, mod_revision, version, seq) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (key) DO UPDATE SET create_revision = excluded.create_revision, "
                        + "mod_revision = excluded.mod_revision, version = excluded.version, seq = excluded.seq");
        this.deleteKey = connection.prepareStatement("DELETE FROM kv WHERE key = ?");
        this.setMeta = connection.prepareStatement("UPDATE meta SET value = ? WHERE name = ?");
        this.readChanges = connection.prepareStatement(
                "SELECT revision, type, key, value, create_revision, version FROM changelog "
                        + "WHERE revision > ? AND revision <= ? ORDER BY revision, seq");
        // Only the rows the last compaction did not reach: everything before them is live values,
        // and they go when their key changes (releaseValue), so compaction never scans them again.
        this.deleteChanges = connection.prepareStatement(
                "DELETE FROM changelog WHERE revision > ? AND revision <= ? AND NOT EXISTS (SELECT 1 FROM kv "
                        + "WHERE kv.key = changelog.key AND kv.mod_revision = changelog.revision AND kv.seq = changelog.seq)");
        try (Statement statement = connection.createStatement()) {
            this.compactedRevision = queryLong(statement, "SELECT value FROM meta WHERE name = 'compacted_revision'");
        }
        connection.commit();
    }

    /**
     * Opens (creating if absent) the store file.
     *
     * @throws IncompatibleStoreException if the file is from a newer schema or not a store
     * @throws StoreException if the file is in use by another process or cannot be opened
     */
    static SqliteJournal open(Path file) {
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw new StoreException("cannot open state store " + file, e);
        }
        try {
            prepare(file, connection);
            return new SqliteJournal(file, connection);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw translate(file, e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static void prepare(Path file, Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 0");
            // Held until close: the in-memory copy of the keys is only right if no one else writes.
            statement.execute("PRAGMA locking_mode = EXCLUSIVE");
            // Checked before anything is written, so that a refused file is left exactly as it was.
            int applicationId = queryInt(statement, "PRAGMA application_id");
            int schemaVersion = queryInt(statement, "PRAGMA user_version");
            boolean blank = queryInt(statement, "SELECT count(*) FROM sqlite_schema") == 0;
            boolean fresh = applicationId == 0 && schemaVersion == 0 && blank;
            if (!fresh) {
                if (applicationId != APPLICATION_ID) {
                    throw new IncompatibleStoreException(file + " is not a Stevedore state store");
                }
                if (schemaVersion > SCHEMA_VERSION) {
                    throw new IncompatibleStoreException(file + " was written with store schema version " + schemaVersion
                            + "; this build understands up to version " + SCHEMA_VERSION + ". Use a newer Stevedore.");
                }
                if (schemaVersion < 1) {
                    throw new IncompatibleStoreException(file + " has no store schema version");
                }
            }
            if (fresh) {
                // Set before the file leaves rollback mode, the only time it can be. Records are about
                // a kilobyte and most commits append many of them: bigger pages mean fewer log frames,
                // each a header, a checksum and a write of its own.
                statement.execute("PRAGMA page_size = 16384");
            }
            String journalMode = queryString(statement, "PRAGMA journal_mode = WAL");
            if (!"wal".equalsIgnoreCase(journalMode)) {
                throw new StoreException("cannot switch " + file + " to WAL mode (got " + journalMode + ")");
            }
            statement.execute("PRAGMA synchronous = FULL");
            statement.execute("PRAGMA journal_size_limit = 134217728");
            // 64 MiB of page cache rather than 2 MiB, so that updates of existing records (tasks moving
            // on, instances) find their pages in memory instead of reading them back from the file.
            statement.execute("PRAGMA cache_size = -65536");
            // Checkpoints every 4,096 pages (64 MiB with 16 KiB pages) rather than 1,000: pages written again and again (the
            // tails of the tables, the upper levels of their indexes) are copied to the file once per
            // checkpoint, not once per 4 MiB.
            statement.execute("PRAGMA wal_autocheckpoint = 4096");
            connection.setAutoCommit(false);
            if (fresh) {
                SqliteSchema.create(statement);
            } else if (schemaVersion < SCHEMA_VERSION) {
                // In the same transaction as the open below: the file is upgraded whole or not at all.
                SqliteSchema.upgrade(statement, schemaVersion);
            }
            // Writing now takes the exclusive lock at once, so a second process fails here
            // rather than at its first commit.
            statement.executeUpdate("UPDATE meta SET value = value + 1 WHERE name = 'opened'");
            connection.commit();
        }
    }

    /** Reads everything the store needs in memory. */
    Contents load() {
        connectionLock.lock();
        try (Statement statement = connection.createStatement()) {
            long revision = queryLong(statement, "SELECT value FROM meta WHERE name = 'revision'");
            long compacted = queryLong(statement, "SELECT value FROM meta WHERE name = 'compacted_revision'");
            Map<String, KeyValue> keys = new HashMap<>();
            try (ResultSet rows = statement.executeQuery(
                    "SELECT kv.key, changelog.value, kv.create_revision, kv.mod_revision, kv.version FROM kv "
                            + "LEFT JOIN changelog ON changelog.revision = kv.mod_revision AND changelog.seq = kv.seq")) {
                while (rows.next()) {
                    String key = decodeKey(rows.getBytes(1));
                    byte[] value = rows.getBytes(2);
                    if (value == null) {
                        throw new StoreException(file + " is damaged: the value of key " + key + " is missing");
                    }
                    keys.put(key, new KeyValue(key, value, rows.getLong(3), rows.getLong(4), rows.getLong(5)));
                }
            }
            connection.commit();
            return new Contents(keys, revision, compacted);
        } catch (SQLException e) {
            throw translate(file, e);
        } finally {
            connectionLock.unlock();
        }
    }

    @Override
    public long append(List<ChangeSet> changes) {
        connectionLock.lock();
        try {
            // Only each key's last change in the batch decides what the kv table holds.
            Map<String, Placed> lastChange = new LinkedHashMap<>();
            for (ChangeSet change : changes) {
                int seq = 0;
                for (WatchEvent event : change.events()) {
                    KeyValue kv = event.kv();
                    boolean put = event.type() == WatchEvent.Type.PUT;
                    insertChange.setLong(1, change.revision());
                    insertChange.setInt(2, seq);
                    insertChange.setInt(3, put ? SqliteSchema.TYPE_PUT : SqliteSchema.TYPE_DELETE);
                    insertChange.setBytes(4, encodeKey(kv.key()));
                    insertChange.setBytes(5, put ? kv.value() : null);
                    insertChange.setLong(6, kv.createRevision());
                    insertChange.setLong(7, kv.version());
                    insertChange.addBatch();
                    lastChange.put(kv.key(), new Placed(event, seq++));
                }
            }
            for (Placed last : lastChange.values()) {
                KeyValue kv = last.event().kv();
                byte[] key = encodeKey(kv.key());
                if (compactedRevision > 0) {
                    releaseValue.setBytes(1, key);
                    releaseValue.setLong(2, compactedRevision);
                    releaseValue.addBatch();
                }
                if (last.event().type() == WatchEvent.Type.PUT) {
                    upsertKey.setBytes(1, key);
                    upsertKey.setLong(2, kv.createRevision());
                    upsertKey.setLong(3, kv.modRevision());
                    upsertKey.setLong(4, kv.version());
                    upsertKey.setInt(5, last.seq());
                    upsertKey.addBatch();
                } else {
                    deleteKey.setBytes(1, key);
                    deleteKey.addBatch();
                }
            }
            insertChange.executeBatch();
            // Before kv changes: it still points at the values being replaced.
            releaseValue.executeBatch();
            upsertKey.executeBatch();
            deleteKey.executeBatch();
            updateMeta("revision", changes.getLast().revision());
            // The statements above fill the page cache; the commit writes the WAL frames and syncs them.
            long syncStarted = System.nanoTime();
            connection.commit();
            return System.nanoTime() - syncStarted;
        } catch (SQLException e) {
            SqliteTransactions.rollbackAndBegin(connection, e);
            // SQLite rolls a transaction back when the disk fills; the file's revision says it did.
            if (SqliteTransactions.diskFull(e) && revisionOnDisk() == changes.getFirst().revision() - 1) {
                throw new StoreFullException("the state store " + file + " is out of disk space; the commit was not written", e);
            }
            throw new StoreException("cannot write to state store " + file, e);
        } finally {
            connectionLock.unlock();
        }
    }

    /** A change and its row's {@code seq} within its revision. */
    private record Placed(WatchEvent event, int seq) {}

    @Override
    public List<ChangeSet> read(long afterRevision, long throughRevision) {
        if (throughRevision <= afterRevision) {
            return List.of();
        }
        connectionLock.lock();
        try {
            List<ChangeSet> changes = new ArrayList<>();
            // Up to the compaction mark only live keys' values are left, which are not history: as
            // before they were kept, compacted history reads as nothing.
            readChanges.setLong(1, Math.max(afterRevision, compactedRevision));
            readChanges.setLong(2, throughRevision);
            try (ResultSet rows = readChanges.executeQuery()) {
                long revision = -1;
                List<WatchEvent> events = new ArrayList<>();
                while (rows.next()) {
                    long rowRevision = rows.getLong(1);
                    if (rowRevision != revision && !events.isEmpty()) {
                        changes.add(new ChangeSet(revision, events));
                        events = new ArrayList<>();
                    }
                    revision = rowRevision;
                    events.add(toEvent(rows, rowRevision));
                }
                if (!events.isEmpty()) {
                    changes.add(new ChangeSet(revision, events));
                }
            }
            connection.commit();
            return changes;
        } catch (SQLException e) {
            SqliteTransactions.rollbackAndBegin(connection, e);
            throw new StoreException("cannot read history from state store " + file, e);
        } finally {
            connectionLock.unlock();
        }
    }

    private static WatchEvent toEvent(ResultSet row, long revision) throws SQLException {
        String key = decodeKey(row.getBytes(3));
        if (row.getInt(2) == SqliteSchema.TYPE_DELETE) {
            return new WatchEvent(WatchEvent.Type.DELETE, KeyValue.tombstone(key, revision), revision);
        }
        KeyValue kv = new KeyValue(key, row.getBytes(4), row.getLong(5), revision, row.getLong(6));
        return new WatchEvent(WatchEvent.Type.PUT, kv, revision);
    }

    @Override
    public void compact(long throughRevision) {
        connectionLock.lock();
        try {
            long mark = Math.max(compactedRevision, throughRevision);
            deleteChanges.setLong(1, compactedRevision);
            deleteChanges.setLong(2, mark);
            deleteChanges.executeUpdate();
            updateMeta("compacted_revision", mark);
            connection.commit();
            compactedRevision = mark;
        } catch (SQLException e) {
            SqliteTransactions.rollbackAndBegin(connection, e);
            throw new StoreException("cannot compact state store " + file, e);
        } finally {
            connectionLock.unlock();
        }
    }

    private void updateMeta(String name, long value) throws SQLException {
        setMeta.setLong(1, value);
        setMeta.setString(2, name);
        setMeta.executeUpdate();
    }

    @Override
    public void close() {
        connectionLock.lock();
        try {
            closeQuietly(connection);
        } finally {
            connectionLock.unlock();
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Nothing useful can be done about a failing close.
        }
    }

    private static byte[] encodeKey(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static String decodeKey(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int queryInt(Statement statement, String sql) throws SQLException {
        return (int) queryLong(statement, sql);
    }

    private static long queryLong(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            if (!rows.next()) {
                throw new SQLException("no result for " + sql);
            }
            return rows.getLong(1);
        }
    }

    private static String queryString(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : "";
        }
    }

    /** The revision the file holds, as read now; -1 when it cannot be read. Called with the connection lock held. */
    private long revisionOnDisk() {
        try (Statement statement = connection.createStatement()) {
            long revision = queryLong(statement, "SELECT value FROM meta WHERE name = 'revision'");
            connection.commit();
            return revision;
        } catch (SQLException e) {
            SqliteTransactions.rollbackAndBegin(connection, e);
            return -1;
        }
    }

    /** The primary result code (extended codes carry it in their low byte). */
    private static StoreException translate(Path file, SQLException e) {
        return switch (SqliteTransactions.resultCode(e)) {
            case SQLITE_BUSY, SQLITE_LOCKED -> new StoreException(file + " is in use by another process", e);
            case SQLITE_NOTADB -> new IncompatibleStoreException(file + " is not a Stevedore state store", e);
            default -> new StoreException("cannot open state store " + file, e);
        };
    }
}
