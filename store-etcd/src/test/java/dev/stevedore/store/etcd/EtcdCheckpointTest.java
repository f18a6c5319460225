package dev.stevedore.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.store.JournaledStateStore;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.StoreException;
import dev.stevedore.store.StoreObserver;
import dev.stevedore.store.StoreOptions;
import dev.stevedore.store.Txn;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store in etcd writes its live keys at checkpoints on a thread of its own while commits go on
 * (EtcdJournal): a checkpoint cut off at any step, with revisions committed after the one it
 * writes through, must leave etcd opening as exactly the acknowledged writes, and a checkpoint
 * that another writer cut off must not write a thing after it.
 */
class EtcdCheckpointTest {

    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension(1);
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    /** Revisions between checkpoints here: small, so that a test passes several. */
    private static final int EVERY = 20;
    /**
     * Operations per etcd transaction: small, so that a checkpoint of these tests takes several
     * pieces (fewer than EtcdJournal.CHECKPOINT_PIECES_IN_FLIGHT, so that all are sent at once).
     */
    private static final int OPS = 8;

    /** Where a checkpoint is stopped: before its first piece, halfway, or with every piece in but the mark not moved. */
    enum Cut {
        FIRST_PIECE, HALFWAY, MARK;

        int step(int steps) {
            return switch (this) {
                case FIRST_PIECE -> 0;
                case HALFWAY -> (steps - 1) / 2;
                case MARK -> steps - 1;
            };
        }
    }

    /**
     * Lets a checkpoint's steps before the cut through and holds the rest until released; counts
     * the steps that were sent.
     */
    private static final class StoppedCheckpoint implements EtcdJournal.CheckpointSteps {
        private final Cut cut;
        private final CountDownLatch atCut = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final Semaphore sent = new Semaphore(0);
        private volatile int steps;
        private final AtomicInteger checkpoints = new AtomicInteger();

        StoppedCheckpoint(Cut cut) {
            this.cut = cut;
        }

        @Override
        public void before(int step, int steps) {
            this.steps = steps;
            if (step >= cut.step(steps)) {
                atCut.countDown();
                awaitUninterruptibly(release);
            }
        }

        @Override
        public void after(int step) {
            sent.release();
        }

        /** Waits until the checkpoint is held at the cut with every step before it sent. */
        void awaitCut() throws InterruptedException {
            atCut.await();
            sent.acquire(cut.step(steps));
        }

        /** Lets the held steps go and waits until each was sent (and taken or refused). */
        void releaseAndAwaitTheRest() throws InterruptedException {
            release.countDown();
            // Every piece was started; the mark is started only if the pieces were all taken.
            int rest = cut == Cut.MARK ? 1 : steps - 1 - cut.step(steps);
            sent.acquire(rest);
        }

        private static void awaitUninterruptibly(CountDownLatch latch) {
            while (true) {
                try {
                    latch.await();
                    return;
                } catch (InterruptedException e) {
                    // the checkpoint's thread is interrupted when its journal closes; it still waits here
                }
            }
        }
    }

    private static EtcdLocation smallTransactions(String prefix) {
        EtcdLocation location = etcd.location(prefix);
        return new EtcdLocation(location.endpoints(), location.prefix(), OPS);
    }

    private static StateStore openWithCheckpoints(EtcdLocation location, EtcdJournal.CheckpointSteps steps) {
        EtcdJournal journal = EtcdJournal.connect(location, new EtcdJournal.Checkpoints(EVERY, Long.MAX_VALUE, steps));
        try {
            return JournaledStateStore.open(journal, journal.load(), StoreOptions.defaults(), "test-writer " + location.prefix(),
                    StoreObserver.NONE);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /** Revisions 1 to {@value #EVERY}: three keys of their own each and one shared key. */
    private static void firstSpan(StateStore store) {
        for (int r = 1; r <= EVERY; r++) {
            store.commit(Txn.builder().put("/ck/a" + r, "a" + r).put("/ck/b" + r, "b" + r).put("/ck/c" + r, "c" + r)
                    .put("/ck/shared", "r" + r).build());
        }
    }

    /**
     * Revisions after the checkpoint's (fewer than {@value #EVERY}, so none is due): keys it writes
     * are changed again or deleted, and new ones made.
     */
    private static void whileItRuns(StateStore store) {
        for (int i = 1; i <= EVERY / 2; i++) {
            Txn.Builder txn = Txn.builder().put("/ck/a" + i, "again" + i).put("/ck/shared", "after" + i).put("/ck/new" + i, "n");
            if (i <= 5) {
                txn.delete("/ck/b" + i);
            }
            store.commit(txn.build());
        }
    }

    @ParameterizedTest
    @EnumSource(Cut.class)
    void aCheckpointAbandonedAtAnyStepWhileCommitsGoOnOpensAsTheAcknowledgedWritesAndWritesNothingLater(Cut cut)
            throws Exception {
        EtcdLocation location = smallTransactions("/checkpoint-abandoned-" + PREFIXES.incrementAndGet());
        StoppedCheckpoint stopped = new StoppedCheckpoint(cut);
        StateStore abandoned = openWithCheckpoints(location, stopped);
        List<StateStore> open = new ArrayList<>(List.of(abandoned));
        try {
            firstSpan(abandoned);
            // The next commit begins the checkpoint of revisions 1 to 20 and is not held up by it.
            abandoned.commit(Txn.builder().put("/ck/begins", "x").build());
            stopped.awaitCut();
            whileItRuns(abandoned);
            List<KeyValue> acknowledged = abandoned.range("");
            long revision = abandoned.currentRevision();

            // As if the process had stopped, its checkpoint's thread held midway: another opens the store.
            StateStore next = EtcdStateStore.open(location);
            open.add(next);
            assertThat(next.currentRevision()).isEqualTo(revision);
            assertThat(next.range("")).containsExactlyElementsOf(acknowledged);

            // The stopped checkpoint resumes: every write it still sends is refused, so etcd holds
            // the live keys the other process wrote on opening, and no mark that they lag the log.
            stopped.releaseAndAwaitTheRest();
            assertThat(liveKeysInEtcd(location)).containsExactlyInAnyOrderElementsOf(acknowledged);
            assertThat(appliedMarkInEtcd(location)).isEmpty();
            next.commit(Txn.builder().put("/ck/next", "y").build());
            List<KeyValue> afterNext = next.range("");
            next.close();
            StateStore reopened = EtcdStateStore.open(location);
            open.add(reopened);
            assertThat(reopened.range("")).as("no live key overwritten by the abandoned checkpoint")
                    .containsExactlyElementsOf(afterNext);
            assertThatThrownBy(() -> abandoned.commit(Txn.builder().put("/ck/late", "z").build()))
                    .isInstanceOf(StoreException.class);
        } finally {
            stopped.release.countDown();
            open.forEach(StateStore::close);
        }
    }

    private static List<KeyValue> liveKeysInEtcd(EtcdLocation location) throws Exception {
        try (Client client = Client.builder().endpoints(location.endpoints().toArray(String[]::new)).build()) {
            EtcdLayout layout = new EtcdLayout(location.prefix());
            List<KeyValue> keys = new ArrayList<>();
            for (io.etcd.jetcd.KeyValue found : client.getKVClient().get(layout.liveStart(),
                    GetOption.builder().withRange(layout.liveEnd()).build()).get().getKvs()) {
                String key = layout.storeKey(found.getKey());
                keys.add(RecordCodec.decodeLive(key, found.getValue().getBytes()));
            }
            return keys;
        }
    }

    private static List<String> appliedMarkInEtcd(EtcdLocation location) throws Exception {
        try (Client client = Client.builder().endpoints(location.endpoints().toArray(String[]::new)).build()) {
            return client.getKVClient().get(new EtcdLayout(location.prefix()).applied()).get().getKvs().stream()
                    .map(found -> found.getValue().toString()).toList();
        }
    }

    @Test
    void aCheckpointCutOffByItsProcessClosingHalfwayLeavesTheAcknowledgedWrites() throws Exception {
        EtcdLocation location = smallTransactions("/checkpoint-closed-" + PREFIXES.incrementAndGet());
        StoppedCheckpoint stopped = new StoppedCheckpoint(Cut.HALFWAY);
        StateStore closed = openWithCheckpoints(location, stopped);
        List<KeyValue> acknowledged;
        try {
            firstSpan(closed);
            closed.commit(Txn.builder().put("/ck/begins", "x").build());
            stopped.awaitCut();
            whileItRuns(closed);
            acknowledged = closed.range("");
        } finally {
            closed.close(); // the connection goes; the held pieces can no longer reach etcd
            stopped.release.countDown();
        }
        StateStore reopened = EtcdStateStore.open(location);
        try {
            assertThat(reopened.range("")).containsExactlyElementsOf(acknowledged);
        } finally {
            reopened.close();
        }
        StateStore again = EtcdStateStore.open(location);
        try {
            assertThat(again.range("")).as("the replayed keys written back").containsExactlyElementsOf(acknowledged);
        } finally {
            again.close();
        }
    }

    @Test
    void checkpointsThatFinishWhileCommitsGoOnLeaveTheAcknowledgedWrites() throws Exception {
        EtcdLocation location = smallTransactions("/checkpoint-finished-" + PREFIXES.incrementAndGet());
        StateStore store = openWithCheckpoints(location, EtcdJournal.CheckpointSteps.NONE);
        List<KeyValue> acknowledged;
        try {
            // Several checkpoints' spans; each key changed in many of them, some deleted and made again.
            for (int r = 1; r <= 10 * EVERY; r++) {
                Txn.Builder txn = Txn.builder().put("/ck/k" + (r % 37), "v" + r).put("/ck/shared", "r" + r);
                if (r % 7 == 0) {
                    txn.delete("/ck/k" + ((r + 5) % 37));
                }
                store.commit(txn.build());
            }
            acknowledged = store.range("");
        } finally {
            store.close();
        }
        StateStore reopened = EtcdStateStore.open(location);
        try {
            assertThat(reopened.currentRevision()).isEqualTo(10 * EVERY);
            assertThat(reopened.range("")).containsExactlyElementsOf(acknowledged);
        } finally {
            reopened.close();
        }
    }
}
