package dev.stevedore.control.ecs.agent;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class AgentPresenceTest {
    private static final InstanceRef A = ref("aaaa");
    private static final InstanceRef B = ref("bbbb");

    /** The flag as the store would hold it, and every write in order. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final List<String> writes = new ArrayList<>();
    private final AgentPresence<FakeConnection> presence = new AgentPresence<>((ref, connected) -> {
        synchronized (writes) {
            writes.add(ref.id() + "=" + connected);
        }
        return known.contains(ref.arn());
    });

    AgentPresenceTest() {
        known.add(A.arn());
        known.add(B.arn());
    }

    @Test
    void aConnectionMarksItsInstanceConnectedAndItsCloseDisconnected() {
        FakeConnection c = new FakeConnection();

        assertThat(presence.connect(A, c)).isEqualTo(new AgentPresence.Join<>(true, java.util.Optional.empty()));
        assertThat(presence.isConnected(A.arn())).isTrue();
        presence.disconnect(A, c);

        assertThat(presence.isConnected(A.arn())).isFalse();
        assertThat(writes).containsExactly("aaaa=true", "aaaa=false");
    }

    @Test
    void theOldConnectionClosingLateDoesNotDisconnectTheNewOne() {
        FakeConnection old = new FakeConnection();
        FakeConnection fresh = new FakeConnection();
        presence.connect(A, old);

        AgentPresence.Join<FakeConnection> join = presence.connect(A, fresh);
        presence.disconnect(A, old);

        assertThat(join.replaced()).containsSame(old);
        assertThat(presence.isConnected(A.arn())).isTrue();
        assertThat(writes).containsExactly("aaaa=true", "aaaa=true");
    }

    @Test
    void aConnectionThatIsAlreadyClosingNeverBecomesCurrent() {
        FakeConnection closing = new FakeConnection();
        closing.closing = true;

        assertThat(presence.connect(A, closing).joined()).isFalse();
        assertThat(presence.isConnected(A.arn())).isFalse();
        assertThat(writes).isEmpty();
    }

    @Test
    void anInstanceThatNoLongerExistsIsNotJoined() {
        known.remove(A.arn());

        assertThat(presence.connect(A, new FakeConnection()).joined()).isFalse();
        assertThat(presence.isConnected(A.arn())).isFalse();
    }

    @Test
    void theSweepMarksOnlyInstancesWithoutAConnection() {
        presence.connect(A, new FakeConnection());
        writes.clear();

        int marked = presence.sweep(List.of(A, B));

        assertThat(marked).isEqualTo(1);
        assertThat(writes).containsExactly("bbbb=false");
    }

    @Test
    void connectAndDisconnectRacingFromManyThreadsEndWithTheLastConnectionCurrent() throws Exception {
        List<FakeConnection> connections = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            connections.add(new FakeConnection());
        }
        List<Thread> threads = new ArrayList<>();
        for (FakeConnection c : connections.subList(0, 49)) {
            threads.add(Thread.ofVirtual().start(() -> {
                presence.connect(A, c);
                c.closing = true;
                presence.disconnect(A, c);
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        presence.connect(A, connections.getLast());

        assertThat(presence.isConnected(A.arn())).isTrue();
        assertThat(writes.getLast()).isEqualTo("aaaa=true");
    }

    private static InstanceRef ref(String id) {
        return new InstanceRef(new EcsScope("123456789012", "us-east-1"), "default", id,
                "arn:aws:ecs:us-east-1:123456789012:container-instance/default/" + id);
    }

    private static final class FakeConnection implements AgentPresence.Connection {
        volatile boolean closing;

        @Override
        public boolean isClosing() {
            return closing;
        }
    }
}
