package dev.stevedore.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.store.StateStore;
import dev.stevedore.store.StoreObserver;
import dev.stevedore.store.StoreOptions;
import dev.stevedore.store.Txn;
import dev.stevedore.store.TxnResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store on a three-member etcd cluster: the leader lost, the other two elect one and carry on;
 * so does a replica leading the store, whose term is in doubt only while etcd elects. Each test
 * starts the member it killed again, so the next finds three.
 */
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
            int killed = etcd.cluster().leaderIndex();
            etcd.cluster().kill(killed);
            for (int i = 0; i < 20; i++) {
                revisions.add(commit(store, "/after/" + i));
            }
            etcd.cluster().restart(killed);
        }

        try (StateStore reopened = EtcdStateStore.open(etcd.location("/three"))) {
            assertThat(revisions).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
            assertThat(reopened.currentRevision()).isEqualTo(40);
            assertThat(reopened.range("/before/")).hasSize(20);
            assertThat(reopened.range("/after/")).hasSize(20);
        }
    }

    /**
     * etcd's leader killed under a replica that leads the store: keep-alives go unanswered while
     * etcd elects, so the term is in doubt and writes wait; etcd keeps the lease through its
     * election, the next keep-alive makes the term sure again, and every write lands in the same
     * term. Before terms could be in doubt, the replica gave its term up (and, as `up`, exited).
     */
    @Test
    void aLeadingReplicaKeepsItsTermAndWritesOnWhenEtcdLosesItsLeader() throws Exception {
        EtcdLocation location = etcd.location("/ride-out");
        List<String> told = new CopyOnWriteArrayList<>();
        CompletableFuture<Leadership> elected = new CompletableFuture<>();
        try (EtcdReplicaStore store = EtcdReplicaStore.follow(location, StoreOptions.defaults(), StoreObserver.NONE);
                LeaderElection election = LeaderElection.start(location, new Replica("a", "http://127.0.0.1:1/a"),
                        Duration.ofSeconds(2), new LeaderElection.Listener() {
                            @Override
                            public void elected(Leadership term) {
                                told.add("elected");
                                elected.complete(term);
                            }

                            @Override
                            public void ended(Leadership term, String why) {
                                told.add("ended: " + why);
                            }
                        })) {
            Leadership term = elected.get(30, TimeUnit.SECONDS);
            store.lead(term);
            List<Long> revisions = new ArrayList<>();
            revisions.add(commit(store, "/before"));
            int killed = etcd.cluster().leaderIndex();
            etcd.cluster().kill(killed);
            for (int i = 0; i < 20; i++) {
                revisions.add(commit(store, "/after/" + i));
            }
            etcd.cluster().restart(killed);

            assertThat(told).as("what the election told the replica").containsExactly("elected");
            assertThat(term.held()).isTrue();
            assertThat(election.term()).contains(term);
            assertThat(revisions).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, 21).boxed().toList());
        }
    }

    private static long commit(StateStore store, String key) {
        TxnResult result = store.commit(Txn.builder().put(key, "v").build());
        assertThat(result.succeeded()).isTrue();
        return result.revision();
    }
}
