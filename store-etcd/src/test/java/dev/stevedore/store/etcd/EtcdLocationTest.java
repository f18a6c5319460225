package dev.stevedore.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void refusesWhatIsNotAnEtcdAddress() {
        for (String bad : List.of("http://127.0.0.1:2379", "etcd://", "etcd://host", "etcd://host:0",
                "etcd://host:70000", "etcd://host:port", "etcd://:2379", "etcd://a:1,,b:2", "etcd://user@host:2379")) {
            assertThatThrownBy(() -> EtcdLocation.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
