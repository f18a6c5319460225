package dev.stevedore.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.store.StateStore;
import dev.stevedore.store.Txn;
import dev.stevedore.store.TxnResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store on a three-member etcd cluster: the leader lost, the other two elect one and carry on. */
class EtcdThreeMemberTest {

    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension(3);

    @Test
    void commitsGoOnAndNothingAcknowledgedIsLostWhenTheLeaderIsKilled() {
        List<Long> revisions = new ArrayList<>();
        try (StateStore store = EtcdStateStore.open(etcd.location("/three"))) {
            for (int i = 0; i < 20; i++) {
                revisions.add(commit(store, "/before/" + i));
            }
            etcd.cluster().kill(etcd.cluster().leaderIndex());
            for (int i = 0; i < 20; i++) {
                revisions.add(commit(store, "/after/" + i));
            }
        }

        try (StateStore reopened = EtcdStateStore.open(etcd.location("/three"))) {
            assertThat(revisions).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
            assertThat(reopened.currentRevision()).isEqualTo(40);
            assertThat(reopened.range("/before/")).hasSize(20);
            assertThat(reopened.range("/after/")).hasSize(20);
        }
    }

    private static long commit(StateStore store, String key) {
        TxnResult result = store.commit(Txn.builder().put(key, "v").build());
        assertThat(result.succeeded()).isTrue();
        return result.revision();
    }
}
