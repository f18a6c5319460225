package dev.stevedore.control.logs.sqlite;

import dev.stevedore.control.logs.EventPosition;
import dev.stevedore.control.logs.LogGroupRow;
import dev.stevedore.control.logs.LogStreamRow;
import dev.stevedore.control.logs.LogsScope;
import dev.stevedore.control.logs.NewLogEvent;
import dev.stevedore.control.logs.StoredLogEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The SQLite log store: concurrent appends, what survives a reopen, and the temporary store's file. */
class SqliteLogStoreTest {
    private static final LogsScope SCOPE = new LogsScope("123456789012", "us-east-1");

    @Test
    void concurrentAppendsAreAllStoredInTimeThenArrivalOrder(@TempDir Path dir) throws Exception {
        try (SqliteLogStore store = SqliteLogStore.open(dir.resolve("logs.db"))) {
            LogGroupRow group = store.createGroup(SCOPE, "/app", 1, Map.of()).orElseThrow();
            List<LogStreamRow> streams = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                streams.add(store.createStream(group.id(), "s" + s, 1).orElseThrow());
            }
            int batches = 25;
            int perBatch = 200;
            List<Future<Optional<LogStreamRow>>> results = new ArrayList<>();
            try (ExecutorService callers = Executors.newFixedThreadPool(8)) {
                for (int b = 0; b < batches; b++) {
                    for (LogStreamRow stream : streams) {
                        int batch = b;
                        results.add(callers.submit(() -> store.append(stream.id(), IntStream.range(0, perBatch)
                                .mapToObj(i -> new NewLogEvent(1_000 + batch, stream.name() + ":" + batch + ":" + i))
                                .toList(), 5_000)));
                    }
                }
            }
            for (Future<Optional<LogStreamRow>> result : results) {
                assertThat(result.get()).isPresent();
            }
            Set<Long> ids = new HashSet<>();
            for (LogStreamRow stream : streams) {
                List<StoredLogEvent> events = store.streamEvents(stream.id(), 0, Long.MAX_VALUE, EventPosition.START,
                        true, 100_000);
                assertThat(events).hasSize(batches * perBatch);
                for (int i = 1; i < events.size(); i++) {
                    assertThat(events.get(i).position()).isGreaterThan(events.get(i - 1).position());
                }
                // Within one batch (one timestamp) the events keep the order they were given in.
                assertThat(events.subList(0, perBatch)).extracting(StoredLogEvent::message)
                        .containsExactlyElementsOf(IntStream.range(0, perBatch).mapToObj(i -> stream.name() + ":0:" + i).toList());
                events.forEach(e -> ids.add(e.id()));
                LogStreamRow after = store.stream(group.id(), stream.name()).orElseThrow();
                assertThat(after.firstEventTimestamp()).hasValue(1_000);
                assertThat(after.lastEventTimestamp()).hasValue(1_000 + batches - 1);
                assertThat(after.lastIngestionTime()).hasValue(5_000);
            }
            assertThat(ids).hasSize(4 * batches * perBatch);
            assertThat(store.groupEvents(group.id(), Optional.empty(), 1_000, 1_001, EventPosition.START, 100_000))
                    .hasSize(4 * perBatch);
        }
    }

    @Test
    void whatWasWrittenIsThereAfterAReopen(@TempDir Path dir) {
        Path file = dir.resolve("logs.db");
        try (SqliteLogStore store = SqliteLogStore.open(file)) {
            LogGroupRow group = store.createGroup(SCOPE, "/app", 1, Map.of("team", "red")).orElseThrow();
            LogStreamRow stream = store.createStream(group.id(), "s", 2).orElseThrow();
            store.append(stream.id(), List.of(new NewLogEvent(10, "kept")), 11);
        }
        try (SqliteLogStore store = SqliteLogStore.open(file)) {
            LogGroupRow group = store.group(SCOPE, "/app").orElseThrow();
            assertThat(group.tags()).isEqualTo(Map.of("team", "red"));
            assertThat(group.storedBytes()).isEqualTo(4);
            LogStreamRow stream = store.stream(group.id(), "s").orElseThrow();
            assertThat(store.streamEvents(stream.id(), 0, Long.MAX_VALUE, EventPosition.END, false, 10))
                    .extracting(StoredLogEvent::message).containsExactly("kept");
            // A new event is numbered after every earlier one, so readers resuming after a number miss nothing.
            long before = store.streamEvents(stream.id(), 0, Long.MAX_VALUE, EventPosition.START, true, 10).getFirst().id();
            store.append(stream.id(), List.of(new NewLogEvent(10, "later")), 12);
            assertThat(store.streamEvents(stream.id(), 0, Long.MAX_VALUE, EventPosition.START, true, 10).getLast().id())
                    .isGreaterThan(before);
        }
    }

    @Test
    void anAppendToADeletedStreamStoresNothing(@TempDir Path dir) {
        try (SqliteLogStore store = SqliteLogStore.open(dir.resolve("logs.db"))) {
            LogGroupRow group = store.createGroup(SCOPE, "/app", 1, Map.of()).orElseThrow();
            LogStreamRow stream = store.createStream(group.id(), "s", 2).orElseThrow();
            assertThat(store.deleteStream(group.id(), "s")).isTrue();
            assertThat(store.append(stream.id(), List.of(new NewLogEvent(10, "lost")), 11)).isEmpty();
            assertThat(store.groupEvents(group.id(), Optional.empty(), 0, Long.MAX_VALUE, EventPosition.START, 10)).isEmpty();
            assertThat(store.createStream(group.id() + 1000, "orphan", 3)).isEmpty();
        }
    }

    @Test
    void aDeletedGroupsEventsAreUnreachableAtOnceAndPurgedLater(@TempDir Path dir) {
        try (SqliteLogStore store = SqliteLogStore.open(dir.resolve("logs.db"))) {
            LogGroupRow old = store.createGroup(SCOPE, "/app", 1, Map.of()).orElseThrow();
            LogStreamRow stream = store.createStream(old.id(), "s", 2).orElseThrow();
            store.append(stream.id(), IntStream.range(0, 25).mapToObj(i -> new NewLogEvent(10, "e" + i)).toList(), 11);
            assertThat(store.deleteGroup(SCOPE, "/app")).isTrue();

            LogGroupRow again = store.createGroup(SCOPE, "/app", 3, Map.of()).orElseThrow();
            assertThat(again.id()).isNotEqualTo(old.id());
            assertThat(again.storedBytes()).isZero();
            LogStreamRow fresh = store.createStream(again.id(), "s", 4).orElseThrow();
            assertThat(store.streamEvents(fresh.id(), 0, Long.MAX_VALUE, EventPosition.START, true, 100)).isEmpty();
            assertThat(store.groupEvents(again.id(), Optional.empty(), 0, Long.MAX_VALUE, EventPosition.START, 100)).isEmpty();

            assertThat(store.purgeDeletedGroups(10)).isEqualTo(10);
            assertThat(store.purgeDeletedGroups(10)).isEqualTo(10);
            assertThat(store.purgeDeletedGroups(10)).isEqualTo(5);
            assertThat(store.purgeDeletedGroups(10)).isZero();
        }
    }

    @Test
    void aTemporaryStoreLeavesNoFileBehind() {
        Path file;
        try (SqliteLogStore store = SqliteLogStore.temporary()) {
            store.createGroup(SCOPE, "/app", 1, Map.of());
            file = store.file();
            assertThat(file).exists();
        }
        assertThat(file).doesNotExist();
        assertThat(file.getParent()).doesNotExist();
    }
}
