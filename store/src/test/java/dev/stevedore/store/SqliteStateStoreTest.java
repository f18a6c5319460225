package dev.stevedore.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStateStoreTest extends DurableStateStoreContract implements PipelinedCommitContract {

    @Override
    public StateStore storeUnderTest() {
        return store;
    }


    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("state.db");
    }

    @Override
    protected StateStore newStore() {
        return SqliteStateStore.open(file());
    }

    @Override
    protected StateStore reopen(StateStore store) {
        store.close();
        return SqliteStateStore.open(file());
    }

    // ---------------------------------------------------------------- crash safety

    private static final Pattern ACK = Pattern.compile("ACK (\\d+) (\\S+) END");
    private static final int KILL_AFTER_ACKS = 2_000;

    @Test
    void everyAcknowledgedCommitSurvivesKillDashNine() throws Exception {
        store.close();
        Path crashFile = dir.resolve("crash.db");
        Path stderr = dir.resolve("child.err");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                CrashingWriter.class.getName(), crashFile.toString(), "6")
                .redirectError(stderr.toFile())
                .start();
        Map<String, Long> acknowledged = new LinkedHashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                Matcher ack = ACK.matcher(line);
                // A line cut short by the kill has no END and is not an acknowledgement.
                if (ack.matches()) {
                    acknowledged.put(ack.group(2), Long.parseLong(ack.group(1)));
                }
                if (acknowledged.size() == KILL_AFTER_ACKS) {
                    // SIGKILL through the handle: Process.destroyForcibly() would also close our
                    // end of the pipe, and the acks still in it are part of what must survive.
                    child.toHandle().destroyForcibly();
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(AWAIT_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(acknowledged).as("acks before the child died; its stderr: %s", Files.readString(stderr))
                .hasSizeGreaterThanOrEqualTo(KILL_AFTER_ACKS);

        StateStore recovered = track(SqliteStateStore.open(crashFile));
        long maxAcknowledged = acknowledged.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(recovered.currentRevision()).isGreaterThanOrEqualTo(maxAcknowledged);
        List<String> lost = new ArrayList<>();
        acknowledged.forEach((key, revision) -> {
            boolean intact = recovered.get(key)
                    .filter(kv -> kv.valueAsString().equals(key) && kv.modRevision() == revision)
                    .isPresent();
            if (!intact) {
                lost.add(key + "@" + revision);
            }
        });
        assertThat(lost).isEmpty();
        // Every revision up to the last one the file holds is a whole put, acknowledged or not.
        assertThat(recovered.range("/crash/")).hasSize((int) recovered.currentRevision());
    }

    @Test
    void concurrentCommitsAreAllDurable() throws Exception {
        runInParallel(16, w -> {
            for (int i = 0; i < 20; i++) {
                put("/g/" + w + "/" + i, "v" + i);
            }
        });

        store = track(reopen(store));

        assertThat(store.currentRevision()).isEqualTo(320);
        assertThat(store.range("/g/")).hasSize(320);
    }

    // ---------------------------------------------------------------- history and compaction

    @Test
    void compactionDiscardsHistoryBeyondTheRetainedRevisionsAlsoAfterReopen() {
        store.close();
        StoreOptions options = StoreOptions.defaults().withRetainedRevisions(10);
        SqliteStateStore small = track(SqliteStateStore.open(dir.resolve("small.db"), options));
        for (int i = 0; i < 100; i++) {
            small.commit(Txn.builder().put("/k" + i, "v").build());
        }
        long compacted = small.compactedRevision();
        assertThat(compacted).isBetween(100L - 10 - 2, 100L - 10);
        assertThatThrownBy(() -> small.watch("/", 5, events -> {})).isInstanceOf(CompactedException.class);

        small.close();
        SqliteStateStore reopened = track(SqliteStateStore.open(dir.resolve("small.db"), options));

        assertThat(reopened.compactedRevision()).isEqualTo(compacted);
        assertThatThrownBy(() -> reopened.watch("/", compacted - 1, events -> {}))
                .isInstanceOfSatisfying(CompactedException.class,
                        e -> assertThat(e.compactedRevision()).isEqualTo(compacted));
        Recorder recorder = new Recorder();
        track(reopened.watch("/", compacted, recorder));
        recorder.awaitRevision(100);
        assertThat(recorder.revisions()).containsExactlyElementsOf(LongStream.rangeClosed(compacted + 1, 100).boxed().toList());
    }

    @Test
    void laggingWatchHoldsBackCompactionAndLosesNothing() {
        store.close();
        StoreOptions options = StoreOptions.defaults().withRetainedRevisions(10).withWatchBufferBatches(2);
        SqliteStateStore small = track(SqliteStateStore.open(dir.resolve("lag.db"), options));
        CountDownLatch inFirstCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recorder recorder = new Recorder() {
            @Override
            public void onEvents(List<WatchEvent> events) {
                inFirstCall.countDown();
                awaitLatch(release);
                super.onEvents(events);
            }
        };
        track(small.watch("/", 0, recorder));
        small.commit(Txn.builder().put("/first", "v").build());
        awaitLatch(inFirstCall);

        for (int i = 0; i < 200; i++) {
            small.commit(Txn.builder().put("/k" + i, Integer.toString(i)).build());
        }
        // The watch is still handling revision 1, so the history after it must all be there.
        assertThat(small.compactedRevision()).isZero();

        release.countDown();
        recorder.awaitRevision(201);
        assertThat(recorder.revisions()).containsExactlyElementsOf(LongStream.rangeClosed(1, 201).boxed().toList());
        small.commit(Txn.builder().put("/after", "v").build());
        assertThat(small.compactedRevision()).isGreaterThan(0);
    }

    @Test
    void liveValuesOutliveTheCompactionOfTheirHistoryAlsoAfterReopen() throws Exception {
        store.close();
        Path file = dir.resolve("live.db");
        StoreOptions options = StoreOptions.defaults().withRetainedRevisions(10);
        SqliteStateStore small = track(SqliteStateStore.open(file, options));
        small.commit(Txn.builder().put("/keep", "k").put("/moved", "m1").build());
        small.commit(Txn.builder().put("/dropped", "d").build());
        for (int i = 0; i < 50; i++) {
            small.commit(Txn.builder().put("/churn/" + i % 3, Integer.toString(i)).build());
        }
        long compactedBefore = small.compactedRevision();
        assertThat(compactedBefore).as("compacted past the first puts").isGreaterThan(2);
        // Replacing values whose rows compaction kept only as values.
        long movedAt = small.commit(Txn.builder().put("/moved", "m2").build()).revision();
        small.commit(Txn.builder().delete("/dropped").build());
        for (int i = 0; i < 30; i++) {
            small.commit(Txn.builder().put("/churn/" + i % 3, "again " + i).build());
        }
        List<KeyValue> live = small.range("");
        long revision = small.currentRevision();
        long compacted = small.compactedRevision();
        small.close();

        // Up to the mark the history is gone and exactly one row per live key's value is left.
        List<String> expectedRows = live.stream().filter(kv -> kv.modRevision() <= compacted)
                .map(kv -> kv.modRevision() + " " + kv.key()).toList();
        assertThat(expectedRows).contains("1 /keep", movedAt + " /moved");
        assertThat(queryStrings(file, "SELECT revision || ' ' || CAST(key AS TEXT) FROM changelog WHERE revision <= "
                + compacted + " ORDER BY revision, key")).containsExactlyElementsOf(expectedRows);

        SqliteStateStore reopened = track(SqliteStateStore.open(file, options));
        assertThat(reopened.range("")).containsExactlyElementsOf(live);
        assertThat(reopened.compactedRevision()).isEqualTo(compacted);
        Recorder recorder = new Recorder();
        track(reopened.watch("/", compacted, recorder));
        recorder.awaitRevision(revision);
        assertThat(recorder.revisions()).containsExactlyElementsOf(
                LongStream.rangeClosed(compacted + 1, revision).boxed().toList());
        assertThat(recorder.events()).extracting(WatchEvent::revision).allMatch(r -> r > compacted);
    }

    @Test
    void journalReadsNothingUpToTheCompactionMarkThoughItKeepsTheLiveValuesThere() {
        store.close();
        SqliteJournal journal = SqliteJournal.open(dir.resolve("journal.db"));
        try {
            journal.append(List.of(putChange(1, "/a"), putChange(2, "/b"), putChange(3, "/c")));
            journal.compact(2);

            assertThat(journal.read(0, 3)).containsExactly(putChange(3, "/c"));
            assertThat(journal.load().keys()).containsOnlyKeys("/a", "/b", "/c");
        } finally {
            journal.close();
        }
    }

    private static ChangeSet putChange(long revision, String key) {
        KeyValue kv = new KeyValue(key, key.getBytes(UTF_8), revision, revision, 1);
        return new ChangeSet(revision, List.of(new WatchEvent(WatchEvent.Type.PUT, kv, revision)));
    }

    // ---------------------------------------------------------------- the file

    @Test
    void eachValueIsWrittenToTheFileOnce() throws Exception {
        byte[] value = new byte[1_024];
        int keys = 2_000;
        for (int i = 0; i < keys; i += 100) {
            Txn.Builder txn = Txn.builder();
            for (int j = i; j < i + 100; j++) {
                value[0] = (byte) j;
                txn.put("/v/" + j, value);
            }
            store.commit(txn.build());
        }
        store.close();

        assertThat(queryStrings(file(), "SELECT name FROM pragma_table_info('kv')")).doesNotContain("value");
        long fileBytes = Long.parseLong(queryStrings(file(), "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size").getFirst());
        // One copy and the pages' slack; a second copy in kv would make it more than twice the values.
        assertThat(fileBytes).isLessThan(keys * value.length * 3L / 2);
    }

    @Test
    void fileIsInWalMode() throws Exception {
        store.close();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement statement = raw.createStatement();
             ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
            mode.next();
            assertThat(mode.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void fileWrittenByAFutureSchemaVersionIsRefusedAndLeftAlone() throws Exception {
        put("/k", "v");
        store.close();
        setPragma(file(), "user_version", SqliteJournal.SCHEMA_VERSION + 1);
        byte[] before = Files.readAllBytes(file());

        assertThatThrownBy(() -> SqliteStateStore.open(file()))
                .isInstanceOf(IncompatibleStoreException.class)
                .hasMessageContaining("schema version " + (SqliteJournal.SCHEMA_VERSION + 1));

        assertThat(Files.readAllBytes(file())).isEqualTo(before);
    }

    @Test
    void foreignDatabaseIsRefused() throws Exception {
        store.close();
        Path foreign = dir.resolve("foreign.db");
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + foreign);
             Statement statement = raw.createStatement()) {
            statement.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)");
        }

        assertThatThrownBy(() -> SqliteStateStore.open(foreign)).isInstanceOf(IncompatibleStoreException.class);
    }

    @Test
    void fileThatIsNotADatabaseIsRefused() throws Exception {
        store.close();
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "this is not a database, just a text file that is long enough to have a header");

        assertThatThrownBy(() -> SqliteStateStore.open(text)).isInstanceOf(IncompatibleStoreException.class);
    }

    @Test
    void secondStoreOnTheSameFileIsRefused() {
        put("/k", "v");

        assertThatThrownBy(() -> SqliteStateStore.open(file()))
                .isInstanceOf(StoreException.class)
                .isNotInstanceOf(IncompatibleStoreException.class)
                .hasMessageContaining("in use");

        assertThat(put("/k", "still mine")).isEqualTo(2);
    }

    @Test
    void openCreatesMissingDirectories() {
        SqliteStateStore nested = track(SqliteStateStore.open(dir.resolve("a/b/state.db")));

        assertThat(nested.currentRevision()).isZero();
        assertThat(nested.file()).exists();
    }

    /** Runs {@code sql} on a connection of its own and returns the first column of each row. */
    private static List<String> queryStrings(Path file, String sql) throws SQLException {
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = raw.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    private static void setPragma(Path file, String pragma, int value) throws SQLException {
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = raw.createStatement()) {
            statement.execute("PRAGMA " + pragma + " = " + value);
        }
    }
}
