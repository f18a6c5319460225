package dev.stevedore.control.ecs.placement;

import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.agent.AgentStates;
import dev.stevedore.control.ecs.instance.TaskReservation;
import dev.stevedore.control.ecs.task.TaskLaunches;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.store.InMemoryStateStore;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.RangeResult;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Txn;
import dev.stevedore.store.TxnResult;
import dev.stevedore.store.Watch;
import dev.stevedore.store.WatchListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plan applier follows the store through a watch of its own, and a caller (the service
 * controller, through its feed) may have seen a change that watch has not delivered yet. A job
 * says which revision its caller decided at, and is placed only against a view that has seen it:
 * an agent that just connected gets the task the controller decided to give it, instead of a
 * refusal from a view that still has the instance disconnected.
 */
class PlanApplierCatchUpTest {
    private static final EcsScope SCOPE = new EcsScope(EcsHarness.ACCOUNT, EcsHarness.REGION);

    private final EcsHarness ecs = new EcsHarness(new InMemoryStateStore());
    private final HeldWatches store = new HeldWatches(ecs.store);
    private PlanApplier applier;
    private TaskDefinition td;
    private String instance;

    @BeforeEach
    void setUp() {
        ecs.call("CreateCluster", "{\"clusterName\": \"c\"}");
        ecs.call("RegisterTaskDefinition", """
                {"family": "web", "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 128}]}""");
        td = Records.decode(ecs.store.get(EcsKeys.taskDefinition(SCOPE, "web", 1)).orElseThrow().value(),
                TaskDefinition.class);
        instance = ecs.registerInstance("c", 1024, 2048, "us-east-1a");
    }

    @AfterEach
    void tearDown() {
        store.release();
        if (applier != null) {
            applier.close();
        }
        ecs.api.close();
    }

    @Test
    void aJobWaitsForTheRevisionItsCallerSawBeforeItIsPlaced() throws Exception {
        AgentStates.InstanceRef ref = AgentStates.InstanceRef.parse(instance).orElseThrow();
        ecs.api.agentStates().setConnected(ref, false);
        applier = new PlanApplier(store, (scope, task) -> TaskReservation.of(td, null));
        // The applier's view of the cluster is loaded with the agent away: nothing can be placed.
        assertThat(placed(applier.submit(job(td, 0)).get(10, TimeUnit.SECONDS))).isEmpty();

        store.hold();
        ecs.api.agentStates().setConnected(ref, true);
        long seen = ecs.store.currentRevision();
        CompletableFuture<PlacementOutcome> afterConnect = applier.submit(job(td, seen));
        Thread.sleep(300);
        assertThat(afterConnect).as("waits for the applier's watch to deliver the connection").isNotDone();
        store.release();
        assertThat(placed(afterConnect.get(10, TimeUnit.SECONDS))).containsExactly(instance);
    }

    @Test
    void aJobIsNotHeldForeverByAWatchThatFallsBehind() throws Exception {
        applier = new PlanApplier(store, (scope, task) -> TaskReservation.of(td, null));
        assertThat(placed(applier.submit(job(td, 0)).get(10, TimeUnit.SECONDS))).containsExactly(instance);
        store.hold();
        ecs.call("PutAttributes", "{\"cluster\": \"c\", \"attributes\": [{\"name\": \"x\", \"targetId\": \""
                + instance + "\"}]}");
        long submitted = System.nanoTime();
        PlacementOutcome outcome = applier.submit(job(td, ecs.store.currentRevision())).get(10, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - submitted).isGreaterThanOrEqualTo(PlanApplier.CATCH_UP_LIMIT_NANOS);
        assertThat(placed(outcome)).containsExactly(instance);
    }

    @Test
    void aJobWhoseCallerSawNothingNewIsPlacedAtOnce() throws Exception {
        applier = new PlanApplier(store, (scope, task) -> TaskReservation.of(td, null));
        store.hold();
        // Nothing the watch holds back matters to a job decided before it: it is not kept waiting.
        ecs.call("PutAttributes", "{\"cluster\": \"c\", \"attributes\": [{\"name\": \"x\", \"targetId\": \""
                + instance + "\"}]}");
        assertThat(placed(applier.submit(job(td, 0)).get(10, TimeUnit.SECONDS))).containsExactly(instance);
    }

    private static PlacementJob job(TaskDefinition td, long seenRevision) {
        return TaskLaunches.job(SCOPE, "c", td, new TaskLaunches.Launch("service:api", "ecs-svc/1", List.of(), false,
                List.of(), List.of()), 1, List.of(), "request-1", Clock.systemUTC(), seenRevision);
    }

    private static List<String> placed(PlacementOutcome outcome) {
        return ((PlacementOutcome.Placed) outcome).tasks().stream().map(t -> t.containerInstanceArn()).toList();
    }

    /** The store, with every watch opened through it held back on demand, its changes delivered on release. */
    static final class HeldWatches implements StateStore {
        private final StateStore store;
        private volatile CountDownLatch gate = new CountDownLatch(0);

        HeldWatches(StateStore store) {
            this.store = store;
        }

        void hold() {
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        @Override
        public Watch watch(String prefix, long fromRevision, WatchListener listener) {
            return store.watch(prefix, fromRevision, events -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                listener.onEvents(events);
            });
        }

        @Override
        public Optional<KeyValue> get(String key) {
            return store.get(key);
        }

        @Override
        public List<KeyValue> range(String prefix) {
            return store.range(prefix);
        }

        @Override
        public List<KeyValue> range(String prefix, String startAfter, int limit) {
            return store.range(prefix, startAfter, limit);
        }

        @Override
        public RangeResult rangeWithRevision(String prefix) {
            return store.rangeWithRevision(prefix);
        }

        @Override
        public long currentRevision() {
            return store.currentRevision();
        }

        @Override
        public TxnResult commit(Txn txn) {
            return store.commit(txn);
        }

        @Override
        public CompletableFuture<TxnResult> commitAsync(Txn txn) {
            return store.commitAsync(txn);
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
