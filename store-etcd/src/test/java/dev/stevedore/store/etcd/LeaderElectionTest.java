package dev.stevedore.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The election on a real etcd: one leader at a time, and the next one once it is gone. */
class LeaderElectionTest {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final Duration TTL = Duration.ofSeconds(2);
    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension(1);

    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();
    private final String prefix = "/election-" + PREFIXES.incrementAndGet();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    /** What a listener was told, in order. */
    static final class Terms implements LeaderElection.Listener {
        final List<String> told = new CopyOnWriteArrayList<>();

        @Override
        public void elected(Leadership term) {
            told.add("elected");
        }

        @Override
        public void ended(Leadership term, String why) {
            told.add("ended");
        }
    }

    private LeaderElection join(String id, Terms terms) {
        LeaderElection election = LeaderElection.start(etcd.location(prefix), new Replica(id, "http://127.0.0.1:1/" + id),
                TTL, terms);
        opened.add(election);
        return election;
    }

    @Test
    void oneOfTwoContendersLeadsAndBothNameIt() {
        Terms a = new Terms();
        Terms b = new Terms();
        LeaderElection first = join("a", a);
        LeaderElection second = join("b", b);

        awaitTrue(() -> first.term().isPresent() || second.term().isPresent());
        LeaderElection leader = first.term().isPresent() ? first : second;
        LeaderElection follower = leader == first ? second : first;
        awaitTrue(() -> follower.leader().isPresent());

        assertThat(follower.term()).isEmpty();
        assertThat(follower.leader()).contains(leader.self());
        assertThat(leader.leader()).contains(leader.self());
        assertThat(a.told.size() + b.told.size()).isEqualTo(1);
    }

    @Test
    void whenTheLeaderLeavesTheOtherLeadsUnderANewLeaseAndFence() {
        Terms a = new Terms();
        LeaderElection first = join("a", a);
        awaitTrue(() -> first.term().isPresent());
        Leadership firstTerm = first.term().orElseThrow();
        Terms b = new Terms();
        LeaderElection second = join("b", b);
        awaitTrue(() -> second.leader().isPresent());

        first.close();

        awaitTrue(() -> second.term().isPresent());
        Leadership secondTerm = second.term().orElseThrow();
        assertThat(a.told).containsExactly("elected", "ended");
        assertThat(firstTerm.held()).isFalse();
        assertThat(secondTerm.leaseId()).isNotEqualTo(firstTerm.leaseId());
        assertThat(secondTerm.keyCreateRevision()).isGreaterThan(firstTerm.keyCreateRevision());
        assertThat(second.leader()).contains(second.self());
    }

    @Test
    void aLeaderWhoseLeaseIsGoneEndsItsTermAndAnotherLeads() throws Exception {
        Terms a = new Terms();
        LeaderElection first = join("a", a);
        awaitTrue(() -> first.term().isPresent());
        Leadership firstTerm = first.term().orElseThrow();
        Terms b = new Terms();
        LeaderElection second = join("b", b);

        // As if etcd had let the lease run out (the leader paused or cut off).
        try (io.etcd.jetcd.Client client = io.etcd.jetcd.Client.builder()
                .endpoints(etcd.cluster().members().getFirst().endpoint()).build()) {
            client.getLeaseClient().revoke(firstTerm.leaseId()).get(10, TimeUnit.SECONDS);
        }

        awaitTrue(() -> second.term().isPresent());
        awaitTrue(() -> a.told.contains("ended"));
        assertThat(firstTerm.held()).isFalse();
        assertThat(b.told).containsExactly("elected");
    }

    @Test
    void aLeaderThatStopsRenewingIsSucceededOnlyOnceEtcdCanNoLongerRenewItsLease() throws Exception {
        try (io.etcd.jetcd.Client client = io.etcd.jetcd.Client.builder()
                .endpoints(etcd.cluster().members().getFirst().endpoint()).build()) {
            // A leader that stopped (killed) right after one keep-alive: its key stays until the lease runs out.
            long lease = client.getLeaseClient().grant(2).get(10, TimeUnit.SECONDS).getID();
            client.getKVClient().put(new EtcdLayout(prefix).leader(),
                    io.etcd.jetcd.ByteSequence.from(new Replica("stopped", "http://127.0.0.1:1/stopped").encode()),
                    io.etcd.jetcd.options.PutOption.builder().withLeaseId(lease).build()).get(10, TimeUnit.SECONDS);
            client.getLeaseClient().keepAliveOnce(lease).get(10, TimeUnit.SECONDS);
            Terms b = new Terms();
            LeaderElection follower = join("b", b);

            awaitTrue(() -> follower.term().isPresent());

            boolean renewable;
            try {
                renewable = client.getLeaseClient().keepAliveOnce(lease).get(10, TimeUnit.SECONDS).getTTL() > 0;
            } catch (java.util.concurrent.ExecutionException e) {
                renewable = false;
            }
            assertThat(renewable).as("the stopped leader's lease could still be renewed").isFalse();
            assertThat(b.told).containsExactly("elected");
        }
    }

    static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

}
