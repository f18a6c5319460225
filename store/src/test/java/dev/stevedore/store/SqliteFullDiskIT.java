package dev.stevedore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite store on a file system that fills up: a 16 MiB ext4 image mounted through a loop
 * device (needs root). Commits past the last byte are refused with {@link StoreFullException},
 * reads go on, nothing acknowledged is lost or damaged, and commits succeed again once space is
 * freed, without reopening the store.
 */
class SqliteFullDiskIT {

    @TempDir
    Path dir;
    LoopFileSystem disk;

    /** 8 MiB taken: more than the store writes, because closing copies the write-ahead log into the database file. */
    @BeforeEach
    void mountSmallFileSystem() throws Exception {
        disk = LoopFileSystem.mount(dir, 16, 8);
    }

    @AfterEach
    void unmount() throws Exception {
        disk.close();
    }

    @Test
    void aFullDiskRefusesCommitsKeepsReadsAndDataAndWritesAgainOnceThereIsSpace() throws Exception {
        Path file = disk.root().resolve("state.db");
        Map<String, byte[]> acknowledged = new LinkedHashMap<>();
        StoreFullException refusal = null;
        try (SqliteStateStore store = SqliteStateStore.open(file)) {
            for (int i = 0; refusal == null; i++) {
                String key = "/fill/" + i;
                byte[] value = value(i, 64 * 1024);
                try {
                    store.commit(Txn.builder().put(key, value).build());
                    acknowledged.put(key, value);
                } catch (StoreFullException e) {
                    refusal = e;
                }
                assertThat(i).as("commits before the disk filled").isLessThan(1_000);
            }
            assertThat(refusal).hasMessageContaining("out of disk space");
            long revision = store.currentRevision();
            assertThat(revision).isEqualTo(acknowledged.size());

            // Refused again, each time for the same reason: the store has not given up.
            assertThatThrownBy(() -> store.commit(Txn.builder().put("/fill/again", value(-1, 64 * 1024)).build()))
                    .isInstanceOf(StoreFullException.class);
            assertThat(store.currentRevision()).isEqualTo(revision);
            acknowledged.forEach((key, value) -> assertThat(store.get(key).orElseThrow().value()).isEqualTo(value));
            assertThat(store.get("/fill/again")).isEmpty();

            disk.freeBallast();
            store.commit(Txn.builder().put("/after", "space is back").build());
            acknowledged.put("/after", "space is back".getBytes(StandardCharsets.UTF_8));
            assertThat(store.currentRevision()).isEqualTo(revision + 1);
        }

        assertThat(LoopFileSystem.integrityCheck(file)).isEqualTo("ok");
        try (SqliteStateStore reopened = SqliteStateStore.open(file)) {
            assertThat(reopened.currentRevision()).isEqualTo(acknowledged.size());
            acknowledged.forEach((key, value) -> assertThat(reopened.get(key).orElseThrow().value()).isEqualTo(value));
            assertThat(reopened.range("/fill/")).hasSize(acknowledged.size() - 1);
        }
    }

    private static byte[] value(int seed, int size) {
        byte[] value = new byte[size];
        // Not compressible, not all alike: each commit takes its full size on disk.
        new Random(seed).nextBytes(value);
        return value;
    }
}
