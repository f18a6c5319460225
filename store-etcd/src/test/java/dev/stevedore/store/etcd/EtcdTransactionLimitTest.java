package dev.stevedore.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.store.StateStore;
import dev.stevedore.store.Txn;
import dev.stevedore.store.TxnResult;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What one etcd transaction holds: a revision's log entry, however many keys it changes; the live
 * keys later, in pieces within etcd's operation and request limits.
 */
class EtcdTransactionLimitTest {

    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension(1, "--max-txn-ops", "2000");

    @Test
    void aLargeRevisionIsOneEtcdTransactionWhenTheLimitAllowsIt() throws Exception {
        EtcdLocation roomy = etcd.location("/roomy");
        EtcdLocation limit = new EtcdLocation(roomy.endpoints(), roomy.prefix(), 2_000);
        try (StateStore store = EtcdStateStore.open(limit)) {
            long before = etcdRevision();
            store.commit(largeTxn("/a/"));
            assertThat(etcdRevision() - before).isEqualTo(1);
        }
        try (StateStore store = EtcdStateStore.open(etcd.location("/default-limit"))) {
            long before = etcdRevision();
            store.commit(largeTxn("/a/"));
            assertThat(etcdRevision() - before).as("its log entry is one operation; the live keys follow later").isEqualTo(1);
            assertThat(store.range("/a/")).hasSize(600);
        }
        try (StateStore reopened = EtcdStateStore.open(etcd.location("/default-limit"))) {
            assertThat(reopened.range("/a/")).hasSize(600);
        }
    }

    /**
     * 40 KB that do not deflate (seeded random bytes): a few dozen of them pass etcd's 1.5 MiB
     * request limit, far below 2,000 operations.
     */
    private static final byte[] BIG = new byte[40_000];

    static {
        new Random(15).nextBytes(BIG);
    }

    @Test
    void revisionsQueuedTogetherThatWeighMoreThanOneEtcdRequestMayAreWrittenInSeveral() throws Exception {
        EtcdLocation roomy = etcd.location("/heavy-queue");
        EtcdLocation limit = new EtcdLocation(roomy.endpoints(), roomy.prefix(), 2_000);
        try (StateStore store = EtcdStateStore.open(limit)) {
            List<CompletableFuture<TxnResult>> queued = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                queued.add(store.commitAsync(Txn.builder().put("/q/" + i, BIG).build()));
            }
            for (CompletableFuture<TxnResult> commit : queued) {
                assertThat(commit.get(60, TimeUnit.SECONDS).succeeded()).isTrue();
            }
        }
        try (StateStore reopened = EtcdStateStore.open(limit)) {
            assertThat(reopened.range("/q/")).hasSize(80).allSatisfy(kv -> assertThat(kv.valueLength()).isEqualTo(40_000));
        }
    }

    @Test
    void oneRevisionThatWeighsMoreThanOneEtcdRequestMayHasItsLiveKeysWrittenInPieces() throws Exception {
        EtcdLocation roomy = etcd.location("/heavy-revision");
        EtcdLocation limit = new EtcdLocation(roomy.endpoints(), roomy.prefix(), 2_000);
        Txn.Builder txn = Txn.builder();
        for (int i = 0; i < 30; i++) {
            txn.put("/r/" + i, BIG); // 1.2 MB: its log entry fits one request, with its live keys it would not
        }
        try (StateStore store = EtcdStateStore.open(limit)) {
            assertThat(store.commit(txn.build()).succeeded()).isTrue();
        }
        try (StateStore reopened = EtcdStateStore.open(limit)) {
            assertThat(reopened.range("/r/")).hasSize(30);
        }
    }

    @Test
    void recordsThatDeflateAreWrittenDeflatedAndReadBackAsTheyWere() throws Exception {
        EtcdLocation roomy = etcd.location("/deflating");
        EtcdLocation limit = new EtcdLocation(roomy.endpoints(), roomy.prefix(), 2_000);
        Txn.Builder txn = Txn.builder();
        for (int i = 0; i < 30; i++) {
            // 1.2 MB of JSON-like text: as written, with its live keys, more than one etcd request may hold.
            txn.put("/j/" + i, ("{\"taskArn\": \"arn:aws:ecs:task/" + i + "\", \"lastStatus\": \"RUNNING\"}").repeat(600));
        }
        try (StateStore store = EtcdStateStore.open(limit)) {
            long before = etcdRevision();
            store.commit(txn.build());
            assertThat(etcdRevision() - before).as("deflated, the revision is one etcd transaction").isEqualTo(1);
        }
        try (StateStore reopened = EtcdStateStore.open(limit)) {
            assertThat(reopened.range("/j/")).hasSize(30).allSatisfy(kv -> assertThat(kv.valueAsString())
                    .startsWith("{\"taskArn\": \"arn:aws:ecs:task/").hasSize(kv.valueLength()));
            assertThat(reopened.get("/j/7").orElseThrow().valueAsString())
                    .isEqualTo("{\"taskArn\": \"arn:aws:ecs:task/7\", \"lastStatus\": \"RUNNING\"}".repeat(600));
        }
    }

    private static Txn largeTxn(String prefix) {
        Txn.Builder txn = Txn.builder();
        for (int i = 0; i < 600; i++) {
            txn.put(prefix + i, "v");
        }
        return txn.build();
    }

    private static long etcdRevision() throws Exception {
        try (Client client = Client.builder().endpoints(etcd.cluster().members().getFirst().endpoint()).build()) {
            return client.getKVClient().get(ByteSequence.from("/", StandardCharsets.UTF_8)).get().getHeader().getRevision();
        }
    }
}
