package dev.stevedore.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.store.StateStore;
import dev.stevedore.store.Txn;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On an etcd that takes larger transactions, an address saying so gets a large revision written in one. */
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
            assertThat(etcdRevision() - before).as("commit point, then live keys in pieces").isGreaterThan(2);
            assertThat(store.range("/a/")).hasSize(600);
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
