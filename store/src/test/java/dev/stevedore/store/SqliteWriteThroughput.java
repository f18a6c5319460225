package dev.stevedore.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A throughput check of {@link SqliteStateStore} writes, run by hand (not a test): puts of
 * ~1 KB values in transactions of many keys, committed one after the other, as the plan applier
 * does. Prints puts per second, the bytes the process wrote (WAL and checkpoints) and the file's
 * size and page count.
 *
 * <p>{@code java -cp ... dev.stevedore.store.SqliteWriteThroughput <file> <insert|update> [puts]
 * [keysPerTxn] [valueBytes] [retainedRevisions] [liveKeys]}: {@code insert} puts new keys that sort
 * in creation order (as task ids do); {@code update} first inserts {@code liveKeys} keys (not
 * timed), then overwrites random ones.
 */
public final class SqliteWriteThroughput {

    private SqliteWriteThroughput() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        boolean update = args[1].equals("update");
        int puts = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int perTxn = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        int valueBytes = args.length > 4 ? Integer.parseInt(args[4]) : 1_024;
        long retained = args.length > 5 ? Long.parseLong(args[5]) : StoreOptions.defaults().retainedRevisions();
        int liveKeys = args.length > 6 ? Integer.parseInt(args[6]) : 100_000;
        Files.deleteIfExists(file);
        Files.deleteIfExists(Path.of(file + "-wal"));
        Files.deleteIfExists(Path.of(file + "-shm"));
        Random random = new Random(42);

        try (SqliteStateStore store = SqliteStateStore.open(file, StoreOptions.defaults().withRetainedRevisions(retained))) {
            List<String> keys = new ArrayList<>();
            if (update) {
                for (int i = 0; i < liveKeys; i += perTxn) {
                    Txn.Builder txn = Txn.builder();
                    for (int j = i; j < Math.min(liveKeys, i + perTxn); j++) {
                        String key = newKey(random, keys.size());
                        keys.add(key);
                        txn.put(key, value(random, valueBytes));
                    }
                    store.commit(txn.build());
                }
            }
            long writtenBefore = bytesWritten();
            long start = System.nanoTime();
            for (int i = 0; i < puts; i += perTxn) {
                Txn.Builder txn = Txn.builder();
                List<String> inTxn = new ArrayList<>();
                for (int j = 0; j < perTxn; j++) {
                    String key = update
                            ? keys.get(random.nextInt(keys.size()))
                            : newKey(random, keys.size() + i + j);
                    if (inTxn.contains(key)) {
                        continue;
                    }
                    inTxn.add(key);
                    txn.put(key, value(random, valueBytes));
                }
                store.commit(txn.build());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long written = bytesWritten() - writtenBefore;
            System.out.printf("%s %,d puts in txns of %d, %d B values, retained %,d: %.2f s, %,.0f puts/s, %,.1f MB written"
                            + " (%,.0f B/put), revision %,d, compacted through %,d%n",
                    update ? "update" : "insert", puts, perTxn, valueBytes, retained, seconds, puts / seconds,
                    written / 1e6, (double) written / puts, store.currentRevision(), store.compactedRevision());
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = raw.createStatement()) {
            System.out.printf("file %,.1f MB, %,d pages of %,d B, changelog rows %,d%n", Files.size(file) / 1e6,
                    query(statement, "PRAGMA page_count"), query(statement, "PRAGMA page_size"),
                    query(statement, "SELECT count(*) FROM changelog"));
        }
    }

    /** Like the control plane's ids: creation order first, then random, so new keys sort last. */
    private static String newKey(Random random, long sequence) {
        return "/tasks/c1/%012x%016x%04x".formatted(sequence, random.nextLong(), random.nextInt(0x10000));
    }

    private static byte[] value(Random random, int size) {
        byte[] value = new byte[size];
        random.nextBytes(value);
        return value;
    }

    private static long query(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** What this process has caused to be written to storage so far, from /proc (Linux only). */
    private static long bytesWritten() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring("write_bytes:".length()).trim());
            }
        }
        return -1;
    }
}
