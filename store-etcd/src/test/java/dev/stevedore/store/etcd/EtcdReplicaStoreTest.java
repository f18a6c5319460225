package dev.stevedore.store.etcd;

import static dev.stevedore.store.etcd.LeaderElectionTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.store.FollowerStoreException;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.StoreException;
import dev.stevedore.store.StoreObserver;
import dev.stevedore.store.StoreOptions;
import dev.stevedore.store.Txn;
import dev.stevedore.store.WatchEvent;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Replicas of one store on a real etcd: followers read the leader's commits; only the current term writes. */
class EtcdReplicaStoreTest {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension(1);

    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();
    private final String prefix = "/replicas-" + PREFIXES.incrementAndGet();
    private Client client;

    @BeforeEach
    void connect() {
        client = Client.builder().endpoints(etcd.cluster().members().getFirst().endpoint()).build();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
        client.close();
    }

    private EtcdReplicaStore replica() {
        EtcdReplicaStore store = EtcdReplicaStore.follow(etcd.location(prefix), StoreOptions.defaults(), StoreObserver.NONE);
        opened.add(store);
        return store;
    }

    /**
     * Makes the leader key under a new etcd lease of {@code leaseSeconds}, as an election would,
     * with a term that this side believes held for {@code believed} (a paused replica believes
     * whatever its last look at the clock said).
     */
    private Leadership claim(long leaseSeconds, Duration believed) throws Exception {
        long sent = System.nanoTime();
        long lease = client.getLeaseClient().grant(leaseSeconds).get(10, TimeUnit.SECONDS).getID();
        ByteSequence key = bytes(prefix + "/leader");
        TxnResponse made = client.getKVClient().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(key, bytes("r\nhttp://127.0.0.1:1"), PutOption.builder().withLeaseId(lease).build()))
                .commit().get(10, TimeUnit.SECONDS);
        assertThat(made.isSucceeded()).as("the leader key was free").isTrue();
        return new Leadership(lease, made.getHeader().getRevision(), believed, Duration.ofMillis(500), Duration.ZERO,
                sent);
    }

    private void expire(Leadership term) throws Exception {
        client.getLeaseClient().revoke(term.leaseId()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFollowerReadsAndWatchesTheLeadersCommitsAndRefusesItsOwn() throws Exception {
        EtcdReplicaStore leader = replica();
        leader.lead(claim(30, Duration.ofSeconds(30)));
        EtcdReplicaStore follower = replica();
        List<WatchEvent> seen = new CopyOnWriteArrayList<>();
        opened.add(follower.watch("/k", 0, batch -> seen.addAll(batch)));

        leader.commit(Txn.builder().put("/k1", "one").build());
        long revision = leader.commit(Txn.builder().put("/k2", "two").delete("/k1").build()).revision();

        awaitTrue(() -> follower.currentRevision() == revision);
        assertThat(follower.range("/k")).containsExactlyElementsOf(leader.range("/k"));
        awaitTrue(() -> seen.size() == 3);
        assertThat(seen).extracting(WatchEvent::revision).containsExactly(1L, 2L, 2L);
        assertThat(follower.leads()).isFalse();
        assertThatThrownBy(() -> follower.commit(Txn.builder().put("/mine", "x").build()))
                .isInstanceOf(FollowerStoreException.class);
        assertThat(leader.currentRevision()).isEqualTo(revision);
        assertThat(leader.get("/mine")).isEmpty();
    }

    @Test
    void aNewLeaderCatchesUpAndAStaleLeaderThatStillBelievesItLeadsIsRefusedByEtcd() throws Exception {
        EtcdReplicaStore old = replica();
        // The old leader believes its term held for a minute: only etcd's fence stands in its way.
        old.lead(claim(30, Duration.ofMinutes(1)));
        EtcdReplicaStore next = replica();
        for (int i = 0; i < 3; i++) {
            old.commit(Txn.builder().put("/k" + i, "old").build());
        }
        expire(old.leadingTerm());

        Leadership nextTerm = claim(30, Duration.ofSeconds(30));
        next.lead(nextTerm);
        assertThat(next.currentRevision()).as("caught up before writing").isEqualTo(3);
        assertThat(next.commit(Txn.builder().put("/k3", "new").build()).revision()).isEqualTo(4);

        assertThatThrownBy(() -> old.commit(Txn.builder().put("/k0", "stale").put("/stale", "x").build()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("term as the leader");

        EtcdReplicaStore reader = replica();
        awaitTrue(() -> reader.currentRevision() == 4);
        assertThat(reader.get("/k0").orElseThrow().valueAsString()).isEqualTo("old");
        assertThat(reader.get("/stale")).isEmpty();
        assertThat(reader.get("/k3").orElseThrow().valueAsString()).isEqualTo("new");
    }

    @Test
    void aLeaderWithoutKeepAlivesStopsWritingWhileEtcdStillHoldsItsLease() throws Exception {
        EtcdReplicaStore leader = replica();
        Leadership term = claim(2, Duration.ofSeconds(2));
        leader.lead(term);
        leader.commit(Txn.builder().put("/k", "v").build());

        awaitTrue(() -> !term.held());
        // The leader key goes with the lease: still there, so the lease had not run out.
        long leaderKeys = client.getKVClient().get(bytes(prefix + "/leader")).get(10, TimeUnit.SECONDS).getCount();

        assertThatThrownBy(() -> leader.commit(Txn.builder().put("/k", "late").build()))
                .isInstanceOf(StoreException.class).hasMessageContaining("has ended");
        assertThat(leaderKeys).as("the lease had not run out when the leader stopped").isEqualTo(1);
    }

    /**
     * A replica as the server runs one: each time its election makes it the leader, a store of its
     * own (a fresh follower, as a restarted replica has) is made the writer for the term.
     */
    private final class ElectedStores implements LeaderElection.Listener {
        final List<EtcdReplicaStore> stores = new CopyOnWriteArrayList<>();
        final List<String> told = new CopyOnWriteArrayList<>();

        @Override
        public void elected(Leadership term) {
            EtcdReplicaStore store = replica();
            store.lead(term);
            stores.add(store);
            told.add("elected");
        }

        @Override
        public void ended(Leadership term, String why) {
            told.add("ended: " + why);
        }
    }

    private LeaderElection join(ElectedStores replica, Duration ttl) {
        LeaderElection election = LeaderElection.start(etcd.location(prefix), new Replica("r", "http://127.0.0.1:1/r"),
                ttl, replica);
        opened.add(election);
        return election;
    }

    private long head() throws Exception {
        var found = client.getKVClient().get(bytes(prefix + "/head")).get(10, TimeUnit.SECONDS).getKvs();
        return found.isEmpty() ? 0 : EtcdLayout.revisionOf(found.getFirst().getValue());
    }

    /** A replica elected under a lease of {@code ttl}, whose first term's store has written one revision. */
    private record Led(LeaderElection election, ElectedStores replica, Leadership first, long headBefore) {
        EtcdReplicaStore store() {
            return replica.stores.getFirst();
        }
    }

    private Led electAndWrite(Duration ttl) throws Exception {
        ElectedStores replica = new ElectedStores();
        LeaderElection election = join(replica, ttl);
        awaitTrue(() -> replica.stores.size() == 1);
        Leadership first = election.term().orElseThrow();
        replica.stores.getFirst().commit(Txn.builder().put("/k", "before").build());
        return new Led(election, replica, first, head());
    }

    /**
     * Etcd has been made to refuse the leader's writes: its next commit is refused, that ends its
     * term (the listener told {@code toldStart}…), nothing more is sent under it, and the election
     * makes it the leader again with a new term.
     */
    private Leadership refusedThenElectedAgain(Led led, String toldStart) throws Exception {
        assertThatThrownBy(() -> led.store().commit(Txn.builder().put("/k", "refused").build()))
                .isInstanceOf(StoreException.class).hasMessageContaining("term as the leader");
        awaitTrue(() -> led.replica().told.size() >= 2);
        assertThat(led.replica().told.get(1)).startsWith(toldStart);
        assertThat(led.first().held()).isFalse();
        assertThatThrownBy(() -> led.store().commit(Txn.builder().put("/after", "x").build()))
                .isInstanceOf(StoreException.class);

        awaitTrue(() -> led.replica().stores.size() == 2);
        Leadership second = led.election().term().orElseThrow();
        assertThat(second.keyCreateRevision()).isGreaterThan(led.first().keyCreateRevision());
        assertThat(second.leaseId()).isNotEqualTo(led.first().leaseId());
        assertThat(led.replica().told).hasSize(3);
        assertThat(head()).as("nothing the old term tried after the refusal was written").isEqualTo(led.headBefore());
        return second;
    }

    @Test
    void aLeaderWhoseWriteEtcdRefusesEndsItsTermAtOnceWritesNothingMoreAndIsElectedAgain() throws Exception {
        // A long lease: its keep-alives go on succeeding, so only the refused write can tell the leader.
        Led led = electAndWrite(Duration.ofSeconds(30));

        // Behind the leader's back: its key gone while its lease lives on.
        client.getKVClient().delete(bytes(prefix + "/leader")).get(10, TimeUnit.SECONDS);

        refusedThenElectedAgain(led, "ended: etcd refused a write of its store");
        long written = led.replica().stores.get(1).commit(Txn.builder().put("/k", "second term").build()).revision();
        assertThat(written).isEqualTo(led.headBefore() + 1);
        EtcdReplicaStore reader = replica();
        awaitTrue(() -> reader.currentRevision() == written);
        assertThat(reader.get("/k").orElseThrow().valueAsString()).isEqualTo("second term");
        assertThat(reader.get("/after")).isEmpty();
    }

    @Test
    void aLeaderWhoseLeaseIsRevokedBehindItsBackIsRefusedEndsItsTermAndIsElectedAgain() throws Exception {
        Led led = electAndWrite(Duration.ofSeconds(8));

        client.getLeaseClient().revoke(led.first().leaseId()).get(10, TimeUnit.SECONDS);

        // Refused by etcd's fence, or (had a keep-alive found the lease gone first) by the ended term itself.
        refusedThenElectedAgain(led, "ended: ");
        assertThat(led.replica().stores.get(1).commit(Txn.builder().put("/k", "second term").build()).revision())
                .isEqualTo(led.headBefore() + 1);
    }

    @Test
    void aCallThatTriesToWriteOnAFollowerIsToldApartFromOneThatOnlyReads() {
        EtcdReplicaStore follower = replica();

        assertThat(follower.withoutWriting(() -> follower.get("/k").isPresent())).contains(false);
        assertThat(follower.withoutWriting(() -> {
            try {
                return follower.commit(Txn.builder().put("/k", "v").build()).succeeded();
            } catch (FollowerStoreException e) {
                return false; // a caller that swallows the refusal is still found out
            }
        })).isEmpty();
        assertThat(follower.withoutWriting(() -> follower.commitAsync(Txn.builder().put("/k", "v").build()))).isEmpty();
    }

    @Test
    void aReplicaThatLeadsFromTheStartWritesAStoreOthersOpen() throws Exception {
        EtcdReplicaStore leader = replica();
        leader.lead(claim(30, Duration.ofSeconds(30)));
        leader.commit(Txn.builder().put("/k", "v").build());
        leader.close();

        StateStore reopened = EtcdReplicaStore.follow(etcd.location(prefix), StoreOptions.defaults(), StoreObserver.NONE);
        opened.add(reopened);
        assertThat(reopened.get("/k").orElseThrow().valueAsString()).isEqualTo("v");
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
