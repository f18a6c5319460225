package dev.stevedore.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EtcdLocationTest {

    @Test
    void readsEndpointsAndPrefix() {
        EtcdLocation location = EtcdLocation.parse("etcd://10.0.0.1:2379,etcd-2.internal:2379/teams/a/");

        assertThat(location.endpoints()).containsExactly("http://10.0.0.1:2379", "http://etcd-2.internal:2379");
        assertThat(location.prefix()).isEqualTo("/teams/a");
        assertThat(location).hasToString("etcd://10.0.0.1:2379,etcd-2.internal:2379/teams/a");
    }

    @Test
    void withoutAPrefixTheStoreLivesUnderTheDefaultOne() {
        assertThat(EtcdLocation.parse("etcd://127.0.0.1:2379"))
                .isEqualTo(new EtcdLocation(List.of("http://127.0.0.1:2379"), EtcdLocation.DEFAULT_PREFIX));
        assertThat(EtcdLocation.parse("etcd://127.0.0.1:2379/").prefix()).isEqualTo(EtcdLocation.DEFAULT_PREFIX);
    }

    @Test
    void readsEtcdsLimitOnTransactionOperations() {
        EtcdLocation location = EtcdLocation.parse("etcd://127.0.0.1:2379/s?max-txn-ops=10000");

        assertThat(location.maxTxnOps()).isEqualTo(10_000);
        assertThat(location.prefix()).isEqualTo("/s");
        assertThat(location).hasToString("etcd://127.0.0.1:2379/s?max-txn-ops=10000");
        assertThat(EtcdLocation.parse("etcd://127.0.0.1:2379?max-txn-ops=500").prefix()).isEqualTo(EtcdLocation.DEFAULT_PREFIX);
        assertThat(EtcdLocation.parse("etcd://127.0.0.1:2379").maxTxnOps()).isEqualTo(128);
    }

    @Test
    void readsHowOftenTheWriterCompactsEtcdsHistory() {
        assertThat(EtcdLocation.parse("etcd://127.0.0.1:2379").historyCompaction()).isEqualTo(Duration.ofMinutes(5));
        EtcdLocation location = EtcdLocation.parse("etcd://127.0.0.1:2379/s?max-txn-ops=500&history-compaction-seconds=60");

        assertThat(location.maxTxnOps()).isEqualTo(500);
        assertThat(location.historyCompaction()).isEqualTo(Duration.ofMinutes(1));
        assertThat(location).hasToString("etcd://127.0.0.1:2379/s?max-txn-ops=500&history-compaction-seconds=60");
        assertThat(EtcdLocation.parse("etcd://h:1?history-compaction-seconds=0").historyCompaction()).isZero();
    }

    @Test
    void refusesWhatIsNotAnEtcdAddress() {
        for (String bad : List.of("etcd://h:1?history-compaction-seconds=-1", "etcd://h:1?max-txn-ops=5&", "etcd://h:1?max-txn-ops=2", "etcd://h:1?max-txn-ops=x", "etcd://h:1?limit=5","http://127.0.0.1:2379", "etcd://", "etcd://host", "etcd://host:0",
                "etcd://host:70000", "etcd://host:port", "etcd://:2379", "etcd://a:1,,b:2", "etcd://user@host:2379")) {
            assertThatThrownBy(() -> EtcdLocation.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
