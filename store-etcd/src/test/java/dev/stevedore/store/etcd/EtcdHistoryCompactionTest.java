package dev.stevedore.store.etcd;

import static dev.stevedore.store.etcd.LeaderElectionTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.store.StateStore;
import dev.stevedore.store.StoreException;
import dev.stevedore.store.StoreObserver;
import dev.stevedore.store.StoreOptions;
import dev.stevedore.store.Txn;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store's writer compacts etcd's own history; reads, opens, followers and commits go on. */
class EtcdHistoryCompactionTest {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final Duration PERIOD = Duration.ofMillis(100);
    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension(1);

    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();
    private final String prefix = "/history-" + PREFIXES.incrementAndGet();
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

    private EtcdLocation location() {
        return etcd.location(prefix).withHistoryCompaction(PERIOD);
    }

    private EtcdReplicaStore replica() {
        EtcdReplicaStore store = EtcdReplicaStore.follow(location(), StoreOptions.defaults(), StoreObserver.NONE);
        opened.add(store);
        return store;
    }

    /** etcd's revision now (a write outside every store's prefix moves it). */
    private long etcdRevisionAfterAWrite() throws Exception {
        return client.getKVClient().put(bytes("/elsewhere"), bytes("x")).get(10, TimeUnit.SECONDS).getHeader().getRevision();
    }

    /** Whether etcd answers a read at {@code revision} that its history was compacted past it. */
    private boolean compacted(long revision) {
        try {
            client.getKVClient().get(bytes(prefix + "/head"), GetOption.builder().withRevision(revision).build())
                    .get(10, TimeUnit.SECONDS);
            return false;
        } catch (ExecutionException e) {
            assertThat(e.getCause()).hasMessageContaining("required revision has been compacted");
            return true;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aLoneWriterCompactsEtcdsHistoryAndItsStoreKeepsWorking() throws Exception {
        StateStore store = EtcdStateStore.open(location(), StoreOptions.defaults(), StoreObserver.NONE);
        opened.add(store);
        store.commit(Txn.builder().put("/k1", "one").build());
        long old = etcdRevisionAfterAWrite();
        store.commit(Txn.builder().put("/k1", "two").put("/k2", "two").build());

        awaitTrue(() -> compacted(old));

        assertThat(store.get("/k1").orElseThrow().valueAsString()).isEqualTo("two");
        EtcdReplicaStore reader = replica(); // opens by a read at one etcd revision, while compactions go on
        assertThat(reader.get("/k2").orElseThrow().valueAsString()).isEqualTo("two");
        long revision = store.commit(Txn.builder().put("/k3", "three").build()).revision();
        awaitTrue(() -> reader.currentRevision() == revision);
        assertThat(reader.get("/k3").orElseThrow().valueAsString()).isEqualTo("three");
    }

    @Test
    void onlyTheLeaderCompactsAndFollowersKeepFollowing() throws Exception {
        EtcdReplicaStore follower = replica();
        long old = etcdRevisionAfterAWrite();
        etcdRevisionAfterAWrite();
        // A negative: ten of the follower's would-be periods pass and etcd still has the old revision.
        Thread.sleep(PERIOD.multipliedBy(10).toMillis());
        assertThat(compacted(old)).as("a follower compacts nothing").isFalse();

        List<EtcdReplicaStore> led = new CopyOnWriteArrayList<>();
        opened.add(LeaderElection.start(location(), new Replica("r", "http://127.0.0.1:1/r"), Duration.ofSeconds(2),
                new LeaderElection.Listener() {
                    @Override
                    public void elected(Leadership term) {
                        EtcdReplicaStore store = replica();
                        store.lead(term);
                        led.add(store);
                    }

                    @Override
                    public void ended(Leadership term, String why) {}
                }));
        awaitTrue(() -> led.size() == 1);
        EtcdReplicaStore leader = led.getFirst();
        leader.commit(Txn.builder().put("/k", "one").build());

        awaitTrue(() -> compacted(old));

        long revision = leader.commit(Txn.builder().put("/k", "two").build()).revision();
        awaitTrue(() -> follower.currentRevision() == revision);
        EtcdReplicaStore fresh = replica();
        awaitTrue(() -> fresh.currentRevision() == revision);
        assertThat(fresh.get("/k").orElseThrow().valueAsString()).isEqualTo("two");
        assertThat(follower.get("/k").orElseThrow().valueAsString()).isEqualTo("two");
    }

    @Test
    void aReadAtACompactedRevisionIsToldApartSoItCanBeginAgain() throws Exception {
        long old = etcdRevisionAfterAWrite();
        long now = etcdRevisionAfterAWrite();
        client.getKVClient().compact(now).get(10, TimeUnit.SECONDS);

        assertThatThrownBy(() -> EtcdRequests.call(() -> client.getKVClient().get(bytes("/elsewhere"),
                GetOption.builder().withRevision(old).build()), "read", () -> {}))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(EtcdRequests.compactedRevision(e)).isTrue());
        assertThat(EtcdRequests.compactedRevision(new StoreException("another writer moved the store"))).isFalse();
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
