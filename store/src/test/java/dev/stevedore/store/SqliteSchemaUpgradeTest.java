package dev.stevedore.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written with store schema version 1 (each live value also kept in {@code kv}, history
 * compacted completely) are upgraded in place when opened.
 */
class SqliteSchemaUpgradeTest {

    private static final byte[] BINARY = {0, -1, 7};

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeStores() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    private SqliteStateStore open(Path file, StoreOptions options) {
        SqliteStateStore store = SqliteStateStore.open(file, options);
        toClose.add(store);
        return store;
    }

    /**
     * What version 1 left after these revisions and a compaction through revision 4:
     * <pre>
     * 1  put /a=a1, put /b=b1, put /f=[0,-1,7]
     * 2  put /c=c1
     * 3  put /a=a2
     * 4  delete /c
     * 5  put /d=d1
     * 6  put /a=a3, put /e=e1
     * 7  delete /d
     * </pre>
     * /b and /f are live with their whole history compacted away, /a has several versions, /c and
     * /d are deleted.
     */
    private Path version1File() throws SQLException {
        Path file = dir.resolve("v1.db");
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = raw.createStatement()) {
            statement.execute("PRAGMA page_size = 16384");
            statement.execute("PRAGMA journal_mode = WAL");
            // The version 1 schema, as that build created it.
            statement.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
            statement.execute("CREATE TABLE kv (key BLOB PRIMARY KEY, value BLOB NOT NULL, "
                    + "create_revision INTEGER NOT NULL, mod_revision INTEGER NOT NULL, version INTEGER NOT NULL)");
            statement.execute("CREATE TABLE changelog (revision INTEGER NOT NULL, seq INTEGER NOT NULL, type INTEGER NOT NULL, "
                    + "key BLOB NOT NULL, value BLOB, create_revision INTEGER NOT NULL, version INTEGER NOT NULL, "
                    + "PRIMARY KEY (revision, seq))");
            statement.execute("INSERT INTO meta (name, value) VALUES ('revision', 7), ('compacted_revision', 4), ('opened', 3)");
            statement.execute("PRAGMA application_id = " + SqliteJournal.APPLICATION_ID);
            statement.execute("PRAGMA user_version = 1");

            try (PreparedStatement kv = raw.prepareStatement("INSERT INTO kv VALUES (?, ?, ?, ?, ?)")) {
                row(kv, "/a", "a3".getBytes(UTF_8), 1, 6, 3);
                row(kv, "/b", "b1".getBytes(UTF_8), 1, 1, 1);
                row(kv, "/e", "e1".getBytes(UTF_8), 6, 6, 1);
                row(kv, "/f", BINARY, 1, 1, 1);
            }
            try (PreparedStatement changelog = raw.prepareStatement("INSERT INTO changelog VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                // Revisions 1 to 4 were compacted.
                row(changelog, 5, 0, 0, "/d", "d1".getBytes(UTF_8), 5, 1);
                row(changelog, 6, 0, 0, "/a", "a3".getBytes(UTF_8), 1, 3);
                row(changelog, 6, 1, 0, "/e", "e1".getBytes(UTF_8), 6, 1);
                row(changelog, 7, 0, 1, "/d", null, 0, 0);
            }
        }
        return file;
    }

    private static void row(PreparedStatement kv, String key, byte[] value, long create, long mod, long version)
            throws SQLException {
        kv.setBytes(1, key.getBytes(UTF_8));
        kv.setBytes(2, value);
        kv.setLong(3, create);
        kv.setLong(4, mod);
        kv.setLong(5, version);
        kv.executeUpdate();
    }

    private static void row(PreparedStatement changelog, long revision, int seq, int type, String key, byte[] value,
                            long create, long version) throws SQLException {
        changelog.setLong(1, revision);
        changelog.setInt(2, seq);
        changelog.setInt(3, type);
        changelog.setBytes(4, key.getBytes(UTF_8));
        changelog.setBytes(5, value);
        changelog.setLong(6, create);
        changelog.setLong(7, version);
        changelog.executeUpdate();
    }

    private static List<KeyValue> keysOfVersion1File() {
        return List.of(
                new KeyValue("/a", "a3".getBytes(UTF_8), 1, 6, 3),
                new KeyValue("/b", "b1".getBytes(UTF_8), 1, 1, 1),
                new KeyValue("/e", "e1".getBytes(UTF_8), 6, 6, 1),
                new KeyValue("/f", BINARY, 1, 1, 1));
    }

    @Test
    void version1FileOpensWithEveryKeyRevisionAndTheKeptHistory() throws Exception {
        Path file = version1File();

        SqliteStateStore store = open(file, StoreOptions.defaults());

        assertThat(store.currentRevision()).isEqualTo(7);
        assertThat(store.compactedRevision()).isEqualTo(4);
        assertThat(store.range("")).containsExactlyElementsOf(keysOfVersion1File());
        assertHistoryAfterRevision4IsReplayedExactly(store);
        assertThatThrownBy(() -> store.watch("/", 3, events -> {}))
                .isInstanceOfSatisfying(CompactedException.class, e -> assertThat(e.compactedRevision()).isEqualTo(4));

        store.close();
        assertThat(query(file, "PRAGMA user_version")).containsExactly("2");
        assertThat(query(file, "SELECT name FROM pragma_table_info('kv')"))
                .containsExactly("key", "create_revision", "mod_revision", "version", "seq");
        // Below the compaction mark: only the values of the keys whose history was compacted.
        assertThat(query(file, "SELECT revision || ' ' || seq || ' ' || CAST(key AS TEXT) FROM changelog "
                + "WHERE revision <= 4 ORDER BY revision, seq")).containsExactly("1 0 /b", "1 1 /f");

        SqliteStateStore reopened = open(file, StoreOptions.defaults());
        assertThat(reopened.range("")).containsExactlyElementsOf(keysOfVersion1File());
        assertHistoryAfterRevision4IsReplayedExactly(reopened);
        assertThat(reopened.commit(Txn.builder().put("/b", "b2").build()).revision()).isEqualTo(8);
        assertThat(reopened.get("/b").orElseThrow()).isEqualTo(new KeyValue("/b", "b2".getBytes(UTF_8), 1, 8, 2));
    }

    private static void assertHistoryAfterRevision4IsReplayedExactly(StateStore store) {
        StateStoreContract.Recorder recorder = new StateStoreContract.Recorder();
        try (Watch watch = store.watch("/", 4, recorder)) {
            recorder.awaitRevision(7);
            assertThat(recorder.describe()).containsExactly(
                    "5 PUT /d=d1 c5 m5 v1",
                    "6 PUT /a=a3 c1 m6 v3 | 6 PUT /e=e1 c6 m6 v1",
                    "7 DELETE /d= c0 m7 v0");
        }
    }

    @Test
    void upgradedFileKeepsItsLiveValuesThroughLaterCompactions() throws Exception {
        Path file = version1File();
        StoreOptions options = StoreOptions.defaults().withRetainedRevisions(5);
        SqliteStateStore store = open(file, options);
        for (int i = 0; i < 40; i++) {
            store.commit(Txn.builder().put("/churn/" + i % 4, Integer.toString(i)).build());
        }
        store.commit(Txn.builder().put("/a", "a4").delete("/e").build());
        List<KeyValue> before = store.range("");
        long compacted = store.compactedRevision();
        assertThat(compacted).isGreaterThan(7).isLessThan(44);
        store.close();
        // The rows of /a's and /e's values at revision 6 went when they changed; /churn/* last
        // changed after the mark.
        assertThat(query(file, "SELECT revision || ' ' || seq || ' ' || CAST(key AS TEXT) FROM changelog "
                + "WHERE revision <= " + compacted + " ORDER BY revision, seq")).containsExactly("1 0 /b", "1 1 /f");

        SqliteStateStore reopened = open(file, options);

        assertThat(reopened.range("")).containsExactlyElementsOf(before);
        assertThat(reopened.get("/b").orElseThrow().valueAsString()).isEqualTo("b1");
        assertThat(reopened.get("/f").orElseThrow().value()).isEqualTo(BINARY);
        assertThat(reopened.get("/e")).isEmpty();
    }

    @Test
    void failedUpgradeLeavesTheVersion1FileAsItWas() throws Exception {
        Path file = version1File();
        List<String> kvBefore = query(file, "SELECT hex(key) || ' ' || hex(value) || ' ' || mod_revision FROM kv ORDER BY key");
        List<String> changelogBefore = query(file, "SELECT revision || ' ' || seq || ' ' || hex(key) FROM changelog ORDER BY revision, seq");
        // The upgrade renames the old kv table to this name, so it fails half-way through.
        query(file, "CREATE TABLE kv_v1 (x) -- in the way");

        assertThatThrownBy(() -> open(file, StoreOptions.defaults())).isInstanceOf(StoreException.class);

        assertThat(query(file, "PRAGMA user_version")).containsExactly("1");
        assertThat(query(file, "SELECT hex(key) || ' ' || hex(value) || ' ' || mod_revision FROM kv ORDER BY key"))
                .isEqualTo(kvBefore);
        assertThat(query(file, "SELECT revision || ' ' || seq || ' ' || hex(key) FROM changelog ORDER BY revision, seq"))
                .isEqualTo(changelogBefore);
        assertThat(query(file, "SELECT value FROM meta WHERE name = 'opened'")).containsExactly("3");
    }

    /** Runs {@code sql} on a connection of its own and returns the first column of each row. */
    private static List<String> query(Path file, String sql) throws SQLException {
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = raw.createStatement()) {
            List<String> values = new ArrayList<>();
            if (statement.execute(sql)) {
                try (ResultSet rows = statement.getResultSet()) {
                    while (rows.next()) {
                        values.add(rows.getString(1));
                    }
                }
            }
            return values;
        }
    }
}
