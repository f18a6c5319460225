package dev.stevedore.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of a durable {@link StateStore}: everything in {@link StateStoreContract}, plus what
 * must hold after the store is closed and opened again.
 */
public abstract class DurableStateStoreContract extends StateStoreContract {

    /** Closes {@code store} and opens the same data again. */
    protected abstract StateStore reopen(StateStore store);

    @Test
    void reopenKeepsRevisionKeysAndVersions() {
        put("/a", "1");
        put("/a", "2");
        put("/b", "gone");
        delete("/b");
        store.commit(Txn.builder().put("/c", "3").put("/d", new byte[] {0, -1, 7}).build());
        List<KeyValue> before = store.range("");
        long revision = store.currentRevision();

        store = track(reopen(store));

        assertThat(store.currentRevision()).isEqualTo(revision);
        assertThat(store.range("")).containsExactlyElementsOf(before);
        assertThat(store.get("/b")).isEmpty();
        long next = put("/a", "3");
        assertThat(next).isEqualTo(revision + 1);
        assertThat(store.get("/a").orElseThrow()).isEqualTo(new KeyValue("/a", "3".getBytes(UTF_8), 1, next, 3));
    }

    @Test
    void reopenKeepsARevisionThatEndedInDeletes() {
        put("/a", "1");
        delete("/a");

        store = track(reopen(store));

        assertThat(store.currentRevision()).isEqualTo(2);
        assertThat(put("/a", "again")).isEqualTo(3);
        assertThat(store.get("/a").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void watchAfterReopenReplaysEarlierHistory() {
        put("/w/a", "1");
        delete("/w/a");
        put("/w/b", "2");

        store = track(reopen(store));
        Recorder recorder = new Recorder();
        track(store.watch("/w/", 0, recorder));
        long live = put("/w/c", "3");
        recorder.awaitRevision(live);

        assertThat(recorder.describe()).containsExactly(
                "1 PUT /w/a=1 c1 m1 v1",
                "2 DELETE /w/a= c0 m2 v0",
                "3 PUT /w/b=2 c3 m3 v1",
                "4 PUT /w/c=3 c4 m4 v1");
    }
}
