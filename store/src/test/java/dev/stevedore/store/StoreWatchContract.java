package dev.stevedore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The watch half of the {@link StateStore} contract: replay from a revision, the hand-over to live
 * delivery, ordering under parallel writers, slow and failing listeners, closing. Part of
 * {@link StateStoreContract}, which extends it.
 */
public abstract class StoreWatchContract extends StoreContractSupport {

    // ---------------------------------------------------------------- watch

    @Test
    void watchFromZeroReplaysEveryChangeInOrder() {
        put("/w/a", "1");
        put("/w/b", "2");
        store.commit(Txn.builder().put("/w/a", "3").delete("/w/b").build());
        put("/other/x", "ignored");
        put("/w/c", "4");

        Recorder recorder = new Recorder();
        track(store.watch("/w/", 0, recorder));
        recorder.awaitRevision(5);

        assertThat(recorder.calls()).hasSize(4);
        assertThat(recorder.describe()).containsExactly(
                "1 PUT /w/a=1 c1 m1 v1",
                "2 PUT /w/b=2 c2 m2 v1",
                "3 PUT /w/a=3 c1 m3 v2 | 3 DELETE /w/b= c0 m3 v0",
                "5 PUT /w/c=4 c5 m5 v1");
    }

    @Test
    void watchFromAMiddleRevisionReplaysOnlyLaterChanges() {
        for (int i = 1; i <= 10; i++) {
            put("/w/" + i, Integer.toString(i));
        }

        Recorder recorder = new Recorder();
        track(store.watch("/w/", 6, recorder));
        long live = put("/w/live", "11");
        recorder.awaitRevision(live);

        assertThat(recorder.revisions()).containsExactly(7L, 8L, 9L, 10L, 11L);
    }

    @Test
    void watchFromCurrentRevisionSeesOnlyNewChanges() {
        put("/w/old", "1");
        Recorder recorder = new Recorder();
        track(store.watch("/w/", store.currentRevision(), recorder));

        long revision = put("/w/new", "2");
        recorder.awaitRevision(revision);

        assertThat(recorder.describe()).containsExactly("2 PUT /w/new=2 c2 m2 v1");
    }

    @Test
    void watchFromAFutureRevisionWaitsForIt() {
        Recorder recorder = new Recorder();
        track(store.watch("/w/", 2, recorder));

        put("/w/1", "v");
        put("/w/2", "v");
        long third = put("/w/3", "v");
        recorder.awaitRevision(third);

        assertThat(recorder.revisions()).containsExactly(third);
    }

    @Test
    void watchDeliversAllEventsOfOneRevisionInOneCall() {
        Recorder recorder = new Recorder();
        track(store.watch("/w/", 0, recorder));

        TxnResult result = store.commit(Txn.builder().put("/w/a", "1").put("/w/b", "2").put("/elsewhere", "3")
                .put("/w/c", "4").build());
        recorder.awaitRevision(result.revision());

        assertThat(recorder.calls()).hasSize(1);
        assertThat(recorder.calls().getFirst()).extracting(e -> e.kv().key()).containsExactly("/w/a", "/w/b", "/w/c");
    }

    @Test
    void watchSeesOnlyItsPrefix() {
        Recorder children = new Recorder();
        track(store.watch("/a/b/", 0, children));

        put("/a/b", "parent");
        put("/a/bc", "sibling");
        long child = put("/a/b/c", "child");
        put("/a/bd/e", "other");
        long last = put("/a/b/d", "child");
        children.awaitRevision(last);

        assertThat(children.revisions()).containsExactly(child, last);
    }

    @Test
    void deleteEventCarriesATombstone() {
        put("/w/k", "v");
        put("/w/k", "v2");
        long deleted = delete("/w/k");

        Recorder recorder = new Recorder();
        track(store.watch("/w/", 2, recorder));
        recorder.awaitRevision(deleted);

        WatchEvent event = recorder.events().getFirst();
        assertThat(event.type()).isEqualTo(WatchEvent.Type.DELETE);
        assertThat(event.revision()).isEqualTo(deleted);
        assertThat(event.kv()).isEqualTo(new KeyValue("/w/k", new byte[0], 0, deleted, 0));
    }

    @Test
    void watchHandsOverFromReplayToLiveWithoutGapOrDuplicate() throws Exception {
        for (int i = 0; i < 100; i++) {
            put("/h/old" + i, "v");
        }
        Recorder recorder = new Recorder();
        CountDownLatch writerStarted = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<?> writer = executor.submit(() -> {
                writerStarted.countDown();
                for (int i = 0; i < 100; i++) {
                    put("/h/new" + i, "v");
                }
            });
            writerStarted.await();
            track(store.watch("/h/", 0, recorder));
            writer.get();
        } finally {
            executor.shutdown();
        }
        recorder.awaitRevision(200);

        assertThat(recorder.revisions()).containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
    }

    @Test
    void liveWatchUnderParallelWritersIsOrderedAndComplete() throws Exception {
        put("/before", "v");
        long start = store.currentRevision();
        Recorder everything = new Recorder();
        Recorder watched = new Recorder();
        track(store.watch("", start, everything));
        track(store.watch("/w/", start, watched));
        Set<Long> watchedRevisions = ConcurrentHashMap.newKeySet();
        int writers = 8;
        int commitsEach = 30;

        runInParallel(writers, w -> {
            for (int i = 0; i < commitsEach; i++) {
                if (w % 2 == 0) {
                    watchedRevisions.add(put("/w/" + w + "/" + i, Integer.toString(i)));
                } else {
                    put("/x/" + w + "/" + i, Integer.toString(i));
                }
            }
        });
        long end = store.currentRevision();
        everything.awaitRevision(end);
        watched.awaitRevision(Collections.max(watchedRevisions));

        assertThat(end - start).isEqualTo((long) writers * commitsEach);
        assertThat(everything.revisions()).containsExactlyElementsOf(LongStream.rangeClosed(start + 1, end).boxed().toList());
        assertThat(watched.revisions()).isSorted().doesNotHaveDuplicates()
                .containsExactlyElementsOf(watchedRevisions.stream().sorted().toList());
        // Each writer's own puts arrive in the order it made them.
        for (int w = 0; w < writers; w += 2) {
            String prefix = "/w/" + w + "/";
            assertThat(watched.events().stream().filter(e -> e.kv().key().startsWith(prefix)).map(e -> e.kv().valueAsString()))
                    .containsExactlyElementsOf(LongStream.range(0, commitsEach).mapToObj(Long::toString).toList());
        }
    }

    @Test
    void closedWatchStopsDelivery() {
        Recorder recorder = new Recorder();
        Watch watch = store.watch("/c/", 0, recorder);
        long first = put("/c/1", "v");
        recorder.awaitRevision(first);

        watch.close();
        long second = put("/c/2", "v");
        Recorder witness = new Recorder();
        track(store.watch("/c/", first, witness));
        witness.awaitRevision(second);

        assertThat(recorder.revisions()).containsExactly(first);
        watch.close(); // closing again is harmless
    }

    @Test
    void closingAWatchFromItsListenerStopsDelivery() {
        AtomicReference<Watch> self = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch registered = new CountDownLatch(1);
        Watch watch = store.watch("/c/", 0, events -> {
            calls.incrementAndGet();
            awaitLatch(registered);
            self.get().close();
        });
        self.set(watch);
        registered.countDown();
        put("/c/1", "v");
        long second = put("/c/2", "v");

        Recorder witness = new Recorder();
        track(store.watch("/c/", 0, witness));
        witness.awaitRevision(second);
        // Watches are dispatched apart: the witness may be served before the first watch's first call.
        // Once that call has closed the watch, no later batch may reach it.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (calls.get() == 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        put("/c/3", "v");
        witness.awaitRevision(put("/c/4", "v"));

        assertThat(calls).hasValue(1);
    }

    @Test
    void slowWatcherLosesNothing() {
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
        track(store.watch("/slow/", 0, recorder));
        put("/slow/0", "0");
        awaitLatch(inFirstCall);

        int commits = 300;
        for (int i = 1; i <= commits; i++) {
            put("/slow/" + i, Integer.toString(i));
        }
        release.countDown();
        recorder.awaitRevision(commits + 1);

        assertThat(recorder.revisions()).containsExactlyElementsOf(LongStream.rangeClosed(1, commits + 1).boxed().toList());
    }

    @Test
    void failingListenerKeepsReceiving() {
        AtomicInteger calls = new AtomicInteger();
        Recorder recorder = new Recorder() {
            @Override
            public void onEvents(List<WatchEvent> events) {
                super.onEvents(events);
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("listener bug (expected by this test)");
                }
            }
        };
        track(store.watch("/f/", 0, recorder));

        put("/f/1", "v");
        long second = put("/f/2", "v");
        recorder.awaitRevision(second);

        assertThat(recorder.revisions()).containsExactly(1L, second);
    }

    @Test
    void watchRejectsANegativeRevision() {
        assertThatThrownBy(() -> store.watch("/", -1, events -> {})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closedStoreRefusesUse() {
        Watch watch = store.watch("/", 0, events -> {});
        store.close();

        assertThatThrownBy(() -> store.get("/k")).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> store.range("/")).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> store.currentRevision()).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> store.commit(Txn.builder().put("/k", "v").build())).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> store.watch("/", 0, events -> {})).isInstanceOf(StoreClosedException.class);
        watch.close();
        store.close();
    }


}
