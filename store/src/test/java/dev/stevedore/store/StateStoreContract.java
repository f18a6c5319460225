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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link StateStore} backend must show. A backend's test extends this class,
 * supplies {@link #newStore()}; a durable backend's test extends {@link DurableStateStoreContract}.
 * Keys, revisions, compare-and-set and ranges are here; watches in {@link StoreWatchContract}.
 *
 * <p>Each test starts from a fresh, empty store. Waits for watch deliveries are bounded only to
 * turn a hang into a failure; no test depends on how fast anything is.
 */
public abstract class StateStoreContract extends StoreWatchContract {

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

    /**
     * A reader that gets one key of a transaction must find the transaction's other keys on its
     * next gets: RunTask writes its clientToken record with the tasks in one transaction, and a
     * retried call that saw the token must find the tasks. Many keys between the first and the
     * last make the window wide while the writer applies them.
     */
    @Test
    void aGetThatSeesOneKeyOfATxnSeesItsOtherKeysAfterwards() throws Exception {
        int filler = 100;
        int rounds = 50;
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> tornReads = Collections.synchronizedList(new ArrayList<>());

        runInParallel(3, worker -> {
            if (worker == 0) {
                for (int round = 1; round <= rounds; round++) {
                    Txn.Builder txn = Txn.builder().put("/seq/first", Integer.toString(round));
                    for (int k = 0; k < filler; k++) {
                        txn.put("/seq/filler/" + k, Integer.toString(round));
                    }
                    store.commit(txn.put("/seq/last", Integer.toString(round)).build());
                }
                writing.set(false);
                return;
            }
            while (writing.get()) {
                int first = store.get("/seq/first").map(kv -> Integer.parseInt(kv.valueAsString())).orElse(0);
                int last = store.get("/seq/last").map(kv -> Integer.parseInt(kv.valueAsString())).orElse(0);
                if (last < first && tornReads.size() < 5) {
                    tornReads.add("first " + first + " then last " + last);
                }
            }
        });

        assertThat(tornReads).isEmpty();
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

}
