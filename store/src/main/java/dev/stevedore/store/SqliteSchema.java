package dev.stevedore.store;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables of a {@link SqliteJournal} file, and the upgrade of files written with an earlier
 * schema version.
 *
 * <p>Version 2 stores each value once. {@code changelog} holds every change as one row keyed by
 * {@code (revision, seq)}: the history that watches replay, which compaction discards up to the
 * compaction mark, except the rows that hold a live key's current value. {@code kv} holds each
 * live key's revisions and version and the {@code seq} of the changelog row, at its
 * {@code mod_revision}, that holds its value. So up to the compaction mark the changelog holds
 * the values of the live keys last written there and nothing else; after it, the whole history.
 *
 * <p>Version 1 kept a second copy of each live value in {@code kv} and compacted
 * the changelog completely.
 */
final class SqliteSchema {

    static final int TYPE_PUT = 0;
    static final int TYPE_DELETE = 1;

    private SqliteSchema() {}

    /** Creates the tables of an empty file, at the current version. */
    static void create(Statement statement) throws SQLException {
        statement.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        createKv(statement);
        statement.execute("CREATE TABLE changelog (revision INTEGER NOT NULL, seq INTEGER NOT NULL, type INTEGER NOT NULL, "
                + "key BLOB NOT NULL, value BLOB, create_revision INTEGER NOT NULL, version INTEGER NOT NULL, "
                + "PRIMARY KEY (revision, seq))");
        statement.execute("INSERT INTO meta (name, value) VALUES ('revision', 0), ('compacted_revision', 0), ('opened', 0)");
        statement.execute("PRAGMA application_id = " + SqliteJournal.APPLICATION_ID);
        statement.execute("PRAGMA user_version = " + SqliteJournal.SCHEMA_VERSION);
    }

    private static void createKv(Statement statement) throws SQLException {
        // Without rowid, the rows are kept in the key's own b-tree: with no value in them they are
        // small, and a write then changes one b-tree instead of a table and its key index.
        statement.execute("CREATE TABLE kv (key BLOB PRIMARY KEY, create_revision INTEGER NOT NULL, "
                + "mod_revision INTEGER NOT NULL, version INTEGER NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID");
    }

    /**
     * Brings a file of an earlier version to the current one, in the caller's transaction, so that
     * a failed upgrade leaves the file as it was.
     */
    static void upgrade(Statement statement, int fromVersion) throws SQLException {
        if (fromVersion == 1) {
            upgradeFrom1(statement);
        }
        statement.execute("PRAGMA user_version = " + SqliteJournal.SCHEMA_VERSION);
    }

    private static void upgradeFrom1(Statement statement) throws SQLException {
        statement.execute("ALTER TABLE kv RENAME TO kv_v1");
        createKv(statement);
        // A key's value stays in the changelog row its last put wrote. Keys whose row was compacted
        // away get one again, at their mod_revision and after the seqs already used there; they are
        // below the compaction mark, where watches never read. (The whole SELECT is evaluated before
        // the first row goes in, hence row_number for several keys of one revision.)
        statement.executeUpdate("INSERT INTO changelog (revision, seq, type, key, value, create_revision, version) "
                + "SELECT o.mod_revision, "
                + "coalesce((SELECT max(c.seq) FROM changelog c WHERE c.revision = o.mod_revision), -1) "
                + "+ row_number() OVER (PARTITION BY o.mod_revision ORDER BY o.key), "
                + TYPE_PUT + ", o.key, o.value, o.create_revision, o.version FROM kv_v1 o "
                + "WHERE NOT EXISTS (SELECT 1 FROM changelog c WHERE c.revision = o.mod_revision AND c.key = o.key "
                + "AND c.type = " + TYPE_PUT + ")");
        statement.executeUpdate("INSERT INTO kv (key, create_revision, mod_revision, version, seq) "
                + "SELECT o.key, o.create_revision, o.mod_revision, o.version, "
                + "(SELECT max(c.seq) FROM changelog c WHERE c.revision = o.mod_revision AND c.key = o.key "
                + "AND c.type = " + TYPE_PUT + ") FROM kv_v1 o");
        statement.execute("DROP TABLE kv_v1");
        // Version 1 compacted everything up to the mark, so nothing should be left there but the rows
        // just added; removing anything else makes sure of what compaction relies on.
        statement.executeUpdate("DELETE FROM changelog WHERE revision <= (SELECT value FROM meta WHERE name = 'compacted_revision') "
                + "AND NOT EXISTS (SELECT 1 FROM kv WHERE kv.key = changelog.key AND kv.mod_revision = changelog.revision "
                + "AND kv.seq = changelog.seq)");
    }
}
