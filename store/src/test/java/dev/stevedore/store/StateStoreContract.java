package dev.stevedore.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link StateStore} backend must show. A backend's test extends this class,
 * supplies {@link #newStore()}; a durable backend's test extends {@link DurableStateStoreContract}.
 *
 * <p>Each test starts from a fresh, empty store. Waits for watch deliveries are bounded only to
 * turn a hang into a failure; no test depends on how fast anything is.
 */
public abstract class StateStoreContract {

    /** How long a test waits for a delivery it expects before declaring it lost. */
    protected static final long AWAIT_SECONDS = 30;

    private final List<AutoCloseable> toClose = Collections.synchronizedList(new ArrayList<>());

    /** The store under test, fresh for every test. */
    protected StateStore store;

    /** A new, empty store. */
    protected abstract StateStore newStore();


    @BeforeEach
    final void openStore() {
        store = track(newStore());
    }

    @AfterEach
    final void closeEverything() throws Exception {
        List<AutoCloseable> all = new ArrayList<>(toClose);
        Collections.reverse(all);
        for (AutoCloseable closeable : all) {
            closeable.close();
        }
    }

    /** Closes {@code closeable} after the test. */
    protected final <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    // ---------------------------------------------------------------- keys, revisions, versions

    @Test
    void freshStoreIsEmptyAtRevisionZero() {
        assertThat(store.currentRevision()).isZero();
        assertThat(store.get("/missing")).isEmpty();
        assertThat(store.range("")).isEmpty();
    }

    @Test
    void putCreatesKeyAtVersionOne() {
        long revision = put("/k", "v1");

        assertThat(revision).isEqualTo(1);
        assertThat(store.currentRevision()).isEqualTo(1);
        KeyValue kv = store.get("/k").orElseThrow();
        assertThat(kv.key()).isEqualTo("/k");
        assertThat(kv.valueAsString()).isEqualTo("v1");
        assertThat(kv.createRevision()).isEqualTo(1);
        assertThat(kv.modRevision()).isEqualTo(1);
        assertThat(kv.version()).isEqualTo(1);
    }

    @Test
    void putOnExistingKeyBumpsVersionAndModRevisionButKeepsCreateRevision() {
        long created = put("/k", "v1");
        put("/other", "x");
        long updated = put("/k", "v2");

        KeyValue kv = store.get("/k").orElseThrow();
        assertThat(kv.valueAsString()).isEqualTo("v2");
        assertThat(kv.createRevision()).isEqualTo(created);
        assertThat(kv.modRevision()).isEqualTo(updated).isEqualTo(3);
        assertThat(kv.version()).isEqualTo(2);
    }

    @Test
    void deleteRemovesKeyAndLaterPutRecreatesItAtVersionOne() {
        put("/k", "v1");
        put("/k", "v2");
        long deleted = delete("/k");
        assertThat(deleted).isEqualTo(3);
        assertThat(store.get("/k")).isEmpty();
        assertThat(store.range("/k")).isEmpty();

        long recreated = put("/k", "v3");

        KeyValue kv = store.get("/k").orElseThrow();
        assertThat(kv.createRevision()).isEqualTo(recreated).isEqualTo(4);
        assertThat(kv.modRevision()).isEqualTo(4);
        assertThat(kv.version()).isEqualTo(1);
    }

    @Test
    void deletingAnAbsentKeyChangesNothingAndTakesNoRevision() {
        put("/k", "v");

        TxnResult result = store.commit(Txn.builder().delete("/absent").build());

        assertThat(result).isEqualTo(new TxnResult(true, 1));
        assertThat(store.currentRevision()).isEqualTo(1);
    }

    @Test
    void absentKeyDeleteInsideAChangingTxnIsIgnored() {
        TxnResult result = store.commit(Txn.builder().put("/a", "1").delete("/absent").build());

        assertThat(result).isEqualTo(new TxnResult(true, 1));
        assertThat(store.range("")).extracting(KeyValue::key).containsExactly("/a");
    }

    @Test
    void everyOpOfATxnSharesOneNewRevision() {
        put("/c", "old");

        TxnResult result = store.commit(Txn.builder().put("/a", "1").put("/b", "2").delete("/c").build());

        assertThat(result).isEqualTo(new TxnResult(true, 2));
        assertThat(store.currentRevision()).isEqualTo(2);
        assertThat(store.get("/a").orElseThrow().modRevision()).isEqualTo(2);
        assertThat(store.get("/b").orElseThrow().modRevision()).isEqualTo(2);
        assertThat(store.get("/c")).isEmpty();
    }

    @Test
    void emptyTxnSucceedsAtCurrentRevision() {
        put("/k", "v");

        assertThat(store.commit(Txn.builder().build())).isEqualTo(new TxnResult(true, 1));
        assertThat(store.currentRevision()).isEqualTo(1);
    }

    @Test
    void sameKeyTwiceInOneTxnIsRejected() {
        assertThatThrownBy(() -> Txn.builder().put("/k", "1").delete("/k").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Txn.builder().put("/k", "1").put("/k", "2").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidKeysAreRejected() {
        assertThatThrownBy(() -> Txn.builder().put("", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Txn.builder().put("/bad\uD800", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valuesAreCopiedInAndOut() {
        byte[] value = "original".getBytes(UTF_8);
        Txn txn = Txn.builder().put("/k", value).build();
        value[0] = 'X';
        store.commit(txn);

        KeyValue kv = store.get("/k").orElseThrow();
        kv.value()[0] = 'Y';

        assertThat(store.get("/k").orElseThrow().valueAsString()).isEqualTo("original");
    }

    @Test
    void binaryValuesAndUnicodeKeysRoundTrip() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        String unicodeKey = "/ключ/ü/\uD83D\uDE00";
        store.commit(Txn.builder().put("/bin", everyByte).put("/empty", new byte[0]).put(unicodeKey, "u").build());

        assertThat(store.get("/bin").orElseThrow().value()).isEqualTo(everyByte);
        assertThat(store.get("/empty").orElseThrow().value()).isEmpty();
        assertThat(store.get(unicodeKey).orElseThrow().valueAsString()).isEqualTo("u");
        assertThat(store.range("/ключ/")).extracting(KeyValue::key).containsExactly(unicodeKey);
    }

    @Test
    void parallelWritersGetDistinctContiguousRevisions() throws Exception {
        int writers = 8;
        int commitsEach = 25;
        Set<Long> revisions = ConcurrentHashMap.newKeySet();

        runInParallel(writers, w -> {
            for (int i = 0; i < commitsEach; i++) {
                revisions.add(put("/p/" + w + "/" + i, "v"));
            }
        });

        long total = (long) writers * commitsEach;
        assertThat(revisions).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(store.currentRevision()).isEqualTo(total);
        assertThat(store.range("/p/")).hasSize((int) total);
    }

    // ---------------------------------------------------------------- compare-and-set

    @Test
    void compareAndSetAppliesWhenModRevisionMatches() {
        long revision = put("/k", "v1");

        TxnResult result = store.commit(Txn.builder().requireModRevision("/k", revision).put("/k", "v2").build());

        assertThat(result).isEqualTo(new TxnResult(true, 2));
        assertThat(store.get("/k").orElseThrow().valueAsString()).isEqualTo("v2");
    }

    @Test
    void compareAndSetConflictAppliesNothing() {
        long first = put("/k", "v1");
        put("/k", "v2");
        put("/gone", "x");

        TxnResult result = store.commit(Txn.builder()
                .requireModRevision("/k", first)
                .put("/k", "lost")
                .put("/new", "lost")
                .delete("/gone")
                .build());

        assertThat(result).isEqualTo(new TxnResult(false, 3));
        assertThat(store.currentRevision()).isEqualTo(3);
        assertThat(store.get("/k").orElseThrow().valueAsString()).isEqualTo("v2");
        assertThat(store.get("/new")).isEmpty();
        assertThat(store.get("/gone")).isPresent();
    }

    @Test
    void allConditionsMustHold() {
        long a = put("/a", "1");
        put("/b", "1");

        TxnResult result = store.commit(Txn.builder()
                .requireModRevision("/a", a)
                .requireModRevision("/b", a) // stale
                .put("/c", "x")
                .build());

        assertThat(result.succeeded()).isFalse();
        assertThat(store.get("/c")).isEmpty();
    }

    @Test
    void requireAbsentGuardsCreation() {
        Txn create = Txn.builder().requireAbsent("/k").put("/k", "first").build();

        assertThat(store.commit(create).succeeded()).isTrue();
        assertThat(store.commit(Txn.builder().requireAbsent("/k").put("/k", "second").build()))
                .isEqualTo(new TxnResult(false, 1));
        assertThat(store.get("/k").orElseThrow().valueAsString()).isEqualTo("first");

        delete("/k");
        assertThat(store.commit(Txn.builder().requireModRevision("/k", 0).put("/k", "third").build()).succeeded())
                .isTrue();
    }

    @Test
    void pureCheckTakesNoRevision() {
        long revision = put("/k", "v");

        assertThat(store.commit(Txn.builder().requireModRevision("/k", revision).build()))
                .isEqualTo(new TxnResult(true, 1));
        assertThat(store.commit(Txn.builder().requireAbsent("/k").build()))
                .isEqualTo(new TxnResult(false, 1));
        assertThat(store.currentRevision()).isEqualTo(1);
    }

    @Test
    void parallelCompareAndSetIncrementsLoseNoUpdate() throws Exception {
        int writers = 8;
        int incrementsEach = 40;
        put("/counter", "0");
        AtomicInteger conflicts = new AtomicInteger();

        runInParallel(writers, w -> {
            for (int i = 0; i < incrementsEach; i++) {
                while (true) {
                    KeyValue current = store.get("/counter").orElseThrow();
                    long next = Long.parseLong(current.valueAsString()) + 1;
                    Txn increment = Txn.builder()
                            .requireModRevision("/counter", current.modRevision())
                            .put("/counter", Long.toString(next))
                            .build();
                    if (store.commit(increment).succeeded()) {
                        break;
                    }
                    conflicts.incrementAndGet();
                }
            }
        });

        KeyValue counter = store.get("/counter").orElseThrow();
        int total = writers * incrementsEach;
        assertThat(Long.parseLong(counter.valueAsString())).isEqualTo(total);
        assertThat(counter.version()).isEqualTo(total + 1);
        assertThat(store.currentRevision()).isEqualTo(total + 1);
    }

    @Test
    void multiKeyTxnIsSeenWholeOrNotAtAll() throws Exception {
        int keys = 5;
        int rounds = 150;
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> tornReads = Collections.synchronizedList(new ArrayList<>());

        runInParallel(3, worker -> {
            if (worker == 0) {
                for (int round = 0; round < rounds; round++) {
                    Txn.Builder txn = Txn.builder();
                    for (int k = 0; k < keys; k++) {
                        txn.put("/atomic/" + k, Integer.toString(round));
                    }
                    store.commit(txn.build());
                }
                writing.set(false);
                return;
            }
            while (writing.get()) {
                RangeResult read = store.rangeWithRevision("/atomic/");
                Set<String> values = new HashSet<>();
                Set<Long> modRevisions = new HashSet<>();
                read.kvs().forEach(kv -> {
                    values.add(kv.valueAsString());
                    modRevisions.add(kv.modRevision());
                });
                boolean whole = read.kvs().isEmpty()
                        || (read.kvs().size() == keys && values.size() == 1 && modRevisions.size() == 1
                                && modRevisions.iterator().next() == read.revision());
                if (!whole) {
                    tornReads.add(read.toString());
                }
            }
        });

        assertThat(tornReads).isEmpty();
        assertThat(store.range("/atomic/")).allSatisfy(kv -> assertThat(kv.valueAsString()).isEqualTo(Integer.toString(rounds - 1)));
    }

    // ---------------------------------------------------------------- range

    @Test
    void rangeListsKeysInAscendingStringOrder() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            keys.add("/r/" + Integer.toString(i * 7919 % 1000, 36) + (i % 3 == 0 ? "/x" : ""));
        }
        keys.add("/r/Z");
        keys.add("/r/a-b");
        keys.add("/r/a/b");
        List<String> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, new Random(7));
        shuffled.forEach(k -> put(k, k));

        List<String> expected = keys.stream().distinct().sorted().toList();
        assertThat(store.range("/r/")).extracting(KeyValue::key).containsExactlyElementsOf(expected);
        assertThat(store.range("/r/")).allSatisfy(kv -> assertThat(kv.valueAsString()).isEqualTo(kv.key()));
    }

    @Test
    void rangeIsAPlainStringPrefix() {
        for (String key : List.of("/a/b", "/a/b/c", "/a/bc", "/a/b/d/e", "/a/c", "/a", "/ab")) {
            put(key, key);
        }

        assertThat(store.range("/a/b/")).extracting(KeyValue::key).containsExactly("/a/b/c", "/a/b/d/e");
        assertThat(store.range("/a/b")).extracting(KeyValue::key).containsExactly("/a/b", "/a/b/c", "/a/b/d/e", "/a/bc");
        assertThat(store.range("/a/bc")).extracting(KeyValue::key).containsExactly("/a/bc");
        assertThat(store.range("/a/")).extracting(KeyValue::key)
                .containsExactly("/a/b", "/a/b/c", "/a/b/d/e", "/a/bc", "/a/c");
        assertThat(store.range("/a/b/c/")).isEmpty();
        assertThat(store.range("/zzz")).isEmpty();
    }

    @Test
    void emptyPrefixRangesEveryKey() {
        put("/b", "1");
        put("/a", "1");
        put("x", "1");

        assertThat(store.range("")).extracting(KeyValue::key).containsExactly("/a", "/b", "x");
    }

    @Test
    void rangePagesWithStartAfterAndLimit() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            keys.add(String.format("/page/%02d", i));
        }
        keys.forEach(k -> put(k, "v"));
        put("/pagez", "outside");
        put("/pag", "outside");

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String after = "";
        while (true) {
            List<KeyValue> page = store.range("/page/", after, 10);
            if (page.isEmpty()) {
                break;
            }
            pageSizes.add(page.size());
            page.forEach(kv -> seen.add(kv.key()));
            after = page.getLast().key();
        }

        assertThat(pageSizes).containsExactly(10, 10, 5);
        assertThat(seen).containsExactlyElementsOf(keys);
    }

    @Test
    void rangeStartAfterNeedNotBeAKey() {
        for (String key : List.of("/s/a", "/s/c", "/s/e")) {
            put(key, "v");
        }
        put("/t", "outside");

        assertThat(store.range("/s/", "/s/b", 10)).extracting(KeyValue::key).containsExactly("/s/c", "/s/e");
        assertThat(store.range("/s/", "/s/c", 1)).extracting(KeyValue::key).containsExactly("/s/e");
        assertThat(store.range("/s/", "/a", 10)).extracting(KeyValue::key).containsExactly("/s/a", "/s/c", "/s/e");
        assertThat(store.range("/s/", "/s/", 10)).extracting(KeyValue::key).containsExactly("/s/a", "/s/c", "/s/e");
        assertThat(store.range("/s/", "/s/e", 10)).isEmpty();
        assertThat(store.range("/s/", "/u", 10)).isEmpty();
    }

    @Test
    void rangeRejectsNonPositiveLimit() {
        assertThatThrownBy(() -> store.range("/", "", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.range("/", "", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rangeWithRevisionReportsTheRevisionReadAt() {
        put("/x/a", "1");
        put("/y/b", "1");

        RangeResult result = store.rangeWithRevision("/x/");

        assertThat(result.revision()).isEqualTo(2);
        assertThat(result.kvs()).extracting(KeyValue::key).containsExactly("/x/a");
    }

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


    // ---------------------------------------------------------------- helpers

    /** Puts one key unconditionally and returns the new revision. */
    protected final long put(String key, String value) {
        TxnResult result = store.commit(Txn.builder().put(key, value).build());
        assertThat(result.succeeded()).isTrue();
        return result.revision();
    }

    /** Deletes one key unconditionally and returns the revision of the commit. */
    protected final long delete(String key) {
        TxnResult result = store.commit(Txn.builder().delete(key).build());
        assertThat(result.succeeded()).isTrue();
        return result.revision();
    }

    /** Runs {@code body(0..threads-1)} on that many platform threads at once and rethrows the first failure. */
    protected static void runInParallel(int threads, IntConsumer body) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int worker = i;
                futures.add(executor.submit(() -> {
                    awaitLatch(start);
                    body.accept(worker);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            executor.shutdownNow();
            executor.awaitTermination(AWAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    protected static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(AWAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released within " + AWAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A listener that records every call and lets a test wait for a revision to arrive. */
    protected static class Recorder implements WatchListener {
        private final List<List<WatchEvent>> calls = new ArrayList<>();

        @Override
        public synchronized void onEvents(List<WatchEvent> events) {
            calls.add(List.copyOf(events));
            notifyAll();
        }

        public synchronized List<List<WatchEvent>> calls() {
            return List.copyOf(calls);
        }

        public synchronized List<WatchEvent> events() {
            return calls.stream().flatMap(List::stream).toList();
        }

        /** The revision of each call, in delivery order. */
        public synchronized List<Long> revisions() {
            return calls.stream().map(call -> call.getFirst().revision()).toList();
        }

        /** One line per call: "rev TYPE key=value cCreate mMod vVersion", events joined by " | ". */
        public synchronized List<String> describe() {
            return calls.stream()
                    .map(call -> String.join(" | ", call.stream().map(Recorder::describe).toList()))
                    .toList();
        }

        private static String describe(WatchEvent e) {
            KeyValue kv = e.kv();
            return e.revision() + " " + e.type() + " " + kv.key() + "=" + kv.valueAsString()
                    + " c" + kv.createRevision() + " m" + kv.modRevision() + " v" + kv.version();
        }

        /** Waits until a call for {@code revision} or later has been recorded. */
        public synchronized void awaitRevision(long revision) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
            while (calls.isEmpty() || calls.getLast().getFirst().revision() < revision) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("revision " + revision + " not delivered; got " + revisions());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }
}
