package dev.stevedore.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.store.ChangeSet;
import dev.stevedore.store.CompactedException;
import dev.stevedore.store.DurableStateStoreContract;
import dev.stevedore.store.InMemoryStateStore;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.PipelinedCommitContract;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.StoreException;
import dev.stevedore.store.StoreObserver;
import dev.stevedore.store.StoreOptions;
import dev.stevedore.store.Txn;
import dev.stevedore.store.WatchEvent;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract against a real single-member etcd; each test has a prefix of its own. */
class EtcdStateStoreTest extends DurableStateStoreContract implements PipelinedCommitContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension(1);
    private String prefix;

    @Override
    public StateStore storeUnderTest() {
        return store;
    }

    @Override
    protected StateStore newStore() {
        prefix = "/test-" + PREFIXES.incrementAndGet();
        return EtcdStateStore.open(etcd.location(prefix));
    }

    @Override
    protected StateStore reopen(StateStore store) {
        store.close();
        return EtcdStateStore.open(etcd.location(prefix));
    }

    @Test
    void installationsUnderDifferentPrefixesKeepRevisionsOfTheirOwn() {
        put("/k", "mine");
        StateStore other = track(EtcdStateStore.open(etcd.location(prefix + "-neighbour")));

        assertThat(other.currentRevision()).isZero();
        assertThat(other.commit(Txn.builder().put("/k", "theirs").build()).revision()).isEqualTo(1);
        assertThat(store.get("/k").orElseThrow().valueAsString()).isEqualTo("mine");
        assertThat(other.get("/k").orElseThrow().valueAsString()).isEqualTo("theirs");
    }

    @Test
    void aSecondWriterOnTheSamePrefixIsRefusedAndNothingOfItsIsWritten() {
        StateStore second = track(EtcdStateStore.open(etcd.location(prefix)));
        put("/k", "first");

        assertThatThrownBy(() -> second.commit(Txn.builder().put("/k", "second").put("/other", "x").build()))
                .isInstanceOf(StoreException.class);

        StateStore reopened = track(EtcdStateStore.open(etcd.location(prefix)));
        assertThat(reopened.currentRevision()).isEqualTo(1);
        assertThat(reopened.get("/k").orElseThrow().valueAsString()).isEqualTo("first");
        assertThat(reopened.get("/other")).isEmpty();
    }

    @Test
    void aCommitRetriedAfterItsAnswerWasLostIsTakenAsDoneButADifferentOneIsAConflict() {
        EtcdLocation location = etcd.location(prefix + "-retry");
        EtcdJournal answered = EtcdJournal.connect(location);
        EtcdJournal retrying = EtcdJournal.connect(location);
        EtcdJournal rival = EtcdJournal.connect(location);
        try {
            // All three read head 0; then only the first hears back from its commit.
            answered.load();
            retrying.load();
            rival.load();
            answered.append(List.of(putAtRevisionOne("v")));

            retrying.append(List.of(putAtRevisionOne("v")));
            assertThatThrownBy(() -> rival.append(List.of(putAtRevisionOne("w")))).isInstanceOf(StoreException.class);
        } finally {
            answered.close();
            retrying.close();
            rival.close();
        }
        StateStore reopened = track(EtcdStateStore.open(location));
        assertThat(reopened.currentRevision()).isEqualTo(1);
        assertThat(reopened.get("/k").orElseThrow().valueAsString()).isEqualTo("v");
    }

    private static ChangeSet putAtRevisionOne(String value) {
        return new ChangeSet(1, List.of(new WatchEvent(WatchEvent.Type.PUT,
                new KeyValue("/k", value.getBytes(StandardCharsets.UTF_8), 1, 1, 1), 1)));
    }

    @Test
    void batchesBeyondEtcdsOperationLimitAreWrittenWholeAndReadBackAfterReopen() throws Exception {
        // 30 writers of 20-key transactions: the writer's batches exceed 128 etcd operations.
        runInParallel(30, w -> {
            Txn.Builder txn = Txn.builder();
            for (int i = 0; i < 20; i++) {
                txn.put("/many/" + w + "/" + i, "v" + i);
            }
            assertThat(store.commit(txn.build()).succeeded()).isTrue();
        });
        List<KeyValue> before = store.range("");

        store = track(reopen(store));

        assertThat(store.currentRevision()).isEqualTo(30);
        assertThat(store.range("")).hasSize(600).containsExactlyElementsOf(before);
    }

    @Test
    void aRevisionLargerThanOneEtcdTransactionIsWholeAndItsLiveKeysAreFinishedOnReopen() throws Exception {
        Txn.Builder large = Txn.builder();
        for (int i = 0; i < 600; i++) {
            large.put(String.format("/large/%03d", i), "v" + i);
        }
        long revision = store.commit(large.build()).revision();
        Recorder recorder = new Recorder() {};
        track(store.watch("/large/", 0, recorder));
        recorder.awaitRevision(revision);
        assertThat(recorder.events()).hasSize(600);
        List<KeyValue> before = store.range("");
        store.close();
        // As if the process had stopped after the commit point, before writing every live key.
        try (Client client = Client.builder().endpoints(etcd.cluster().members().getFirst().endpoint()).build()) {
            client.getKVClient().put(bytes(prefix + "/applied"), bytes(Long.toString(revision - 1))).get();
            client.getKVClient().delete(bytes(prefix + "/keys/large/"),
                    io.etcd.jetcd.options.DeleteOption.builder().isPrefix(true).build()).get();
        }

        store = track(EtcdStateStore.open(etcd.location(prefix)));
        assertThat(store.range("")).containsExactlyElementsOf(before);
        store.close();
        store = track(EtcdStateStore.open(etcd.location(prefix)));
        assertThat(store.range("")).as("written back to etcd, not only read from the log").containsExactlyElementsOf(before);
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    @Test
    void reopenReadsMoreKeysThanOnePage() {
        for (int t = 0; t < 25; t++) {
            Txn.Builder txn = Txn.builder();
            for (int i = 0; i < 100; i++) {
                txn.put(String.format("/page/%02d/%03d", t, i), "v");
            }
            store.commit(txn.build());
        }
        List<KeyValue> before = store.range("");

        store = track(reopen(store));

        assertThat(store.range("")).hasSize(2_500).containsExactlyElementsOf(before);
    }

    @Test
    void compactedHistoryIsGoneFromEtcdAndWatchesBeforeItAreRefused() {
        StateStore small = track(EtcdStateStore.open(etcd.location(prefix + "-small"),
                StoreOptions.defaults().withRetainedRevisions(10), StoreObserver.NONE));
        for (int i = 0; i < 40; i++) {
            small.commit(Txn.builder().put("/k" + i, "v").build());
        }

        StateStore reopened = track(EtcdStateStore.open(etcd.location(prefix + "-small"),
                StoreOptions.defaults().withRetainedRevisions(10), StoreObserver.NONE));
        assertThatThrownBy(() -> reopened.watch("/", 5, events -> {}))
                .isInstanceOfSatisfying(CompactedException.class, e -> assertThat(e.requestedRevision()).isEqualTo(5));
        long kept = logEntries(prefix + "-small");
        assertThat(kept).isBetween(10L, 40L - 5);

        // An anonymous subclass: the recorder's constructor is protected, and this test is in another package.
        Recorder recorder = new Recorder() {};
        track(reopened.watch("/", 40 - kept, recorder));
        reopened.commit(Txn.builder().put("/k40", "v").build());
        recorder.awaitRevision(41);
        assertThat(recorder.revisions()).containsExactlyElementsOf(LongStream.rangeClosed(40 - kept + 1, 41).boxed().toList());
    }

    @Test
    void theLogIsTheCommitPointAndTheLiveKeysAreWrittenBeforeTheLogIsCompacted() {
        String lagging = prefix + "-lag";
        StateStore small = track(EtcdStateStore.open(etcd.location(lagging),
                StoreOptions.defaults().withRetainedRevisions(10), StoreObserver.NONE));
        small.commit(Txn.builder().put("/lag/first", "v").build());
        assertThat(liveKeys(lagging)).as("committed by its log entry alone").isZero();
        for (int i = 0; i < 40; i++) {
            small.commit(Txn.builder().put("/lag/" + i, "v" + i).put("/lag/first", "v" + i).build());
        }
        long kept = logEntries(lagging);
        assertThat(kept).isLessThan(41);
        assertThat(liveKeys(lagging)).as("every key changed by a revision no longer in the log")
                .isGreaterThanOrEqualTo(41 - kept);
        small.close();

        StateStore reopened = track(EtcdStateStore.open(etcd.location(lagging)));
        assertThat(reopened.range("/lag/")).hasSize(41);
        assertThat(reopened.get("/lag/first").orElseThrow().valueAsString()).isEqualTo("v39");
        assertThat(reopened.get("/lag/first").orElseThrow().version()).isEqualTo(41);
    }

    private static long liveKeys(String prefix) {
        try (Client client = Client.builder().endpoints(etcd.cluster().members().getFirst().endpoint()).build()) {
            ByteSequence start = ByteSequence.from(prefix + "/keys/", StandardCharsets.UTF_8);
            ByteSequence end = ByteSequence.from(prefix + "/keys0", StandardCharsets.UTF_8);
            return client.getKVClient().get(start, GetOption.builder().withRange(end).withCountOnly(true).build())
                    .get().getCount();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void copyCarriesEveryKeyWithItsRevisionsIntoAnEmptyPrefixAndWatchesStartAtTheCopiedRevision() {
        StateStore source = track(new InMemoryStateStore());
        for (int i = 0; i < 300; i++) {
            source.commit(Txn.builder().put("/copy/" + i, "v" + i).build());
        }
        source.commit(Txn.builder().put("/copy/7", "again").delete("/copy/8").build());
        String destination = prefix + "-copy";

        EtcdStateStore.copy(source, etcd.location(destination));

        StateStore copied = track(EtcdStateStore.open(etcd.location(destination)));
        assertThat(copied.currentRevision()).isEqualTo(301);
        assertThat(copied.range("")).containsExactlyElementsOf(source.range(""));
        assertThat(copied.get("/copy/7").orElseThrow().version()).isEqualTo(2);
        assertThatThrownBy(() -> copied.watch("/", 300, events -> {})).isInstanceOf(CompactedException.class);
        assertThat(copied.commit(Txn.builder().put("/copy/new", "x").build()).revision()).isEqualTo(302);
    }

    @Test
    void copyOfANeverWrittenStoreLeavesAnEmptyStore() {
        EtcdStateStore.copy(track(new InMemoryStateStore()), etcd.location(prefix + "-empty"));

        StateStore copied = track(EtcdStateStore.open(etcd.location(prefix + "-empty")));
        assertThat(copied.currentRevision()).isZero();
        assertThat(copied.commit(Txn.builder().put("/first", "x").build()).revision()).isEqualTo(1);
    }

    @Test
    void copyRefusesAPrefixThatHoldsAnything() {
        put("/mine", "1");
        StateStore source = track(new InMemoryStateStore());
        source.commit(Txn.builder().put("/theirs", "2").build());

        assertThatThrownBy(() -> EtcdStateStore.copy(source, etcd.location(prefix)))
                .isInstanceOf(StoreException.class).hasMessageContaining("empty prefix");

        StateStore reopened = track(EtcdStateStore.open(etcd.location(prefix)));
        assertThat(reopened.range("")).extracting(KeyValue::key).containsExactly("/mine");
    }

    private static long logEntries(String prefix) {
        try (Client client = Client.builder().endpoints(etcd.cluster().members().getFirst().endpoint()).build()) {
            ByteSequence start = ByteSequence.from(prefix + "/log/", StandardCharsets.UTF_8);
            ByteSequence end = ByteSequence.from(prefix + "/log0", StandardCharsets.UTF_8);
            return client.getKVClient().get(start, GetOption.builder().withRange(end).withCountOnly(true).build())
                    .get().getCount();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
