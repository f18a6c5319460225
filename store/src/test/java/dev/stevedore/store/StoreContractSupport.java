package dev.stevedore.store;

import static org.assertj.core.api.Assertions.assertThat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the store contract tests share: a fresh store per test, closing what a test opened, and
 * small helpers (puts, parallel runs, a recording watch listener).
 */
public abstract class StoreContractSupport {

    /** How long a test waits for a delivery it expects before declaring it lost. */
    protected static final long AWAIT_SECONDS = 30;

    private final List<AutoCloseable> toClose = Collections.synchronizedList(new ArrayList<>());

    /** The store under test, fresh for every test. */
    protected StateStore store;

    /** A new, empty store. */
    protected abstract StateStore newStore();


    @BeforeEach
    final void openStore() {
        store = track(newStore());
    }

    @AfterEach
    final void closeEverything() throws Exception {
        List<AutoCloseable> all = new ArrayList<>(toClose);
        Collections.reverse(all);
        for (AutoCloseable closeable : all) {
            closeable.close();
        }
    }

    /** Closes {@code closeable} after the test. */
    protected final <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }


    // ---------------------------------------------------------------- helpers

    /** Puts one key unconditionally and returns the new revision. */
    protected final long put(String key, String value) {
        TxnResult result = store.commit(Txn.builder().put(key, value).build());
        assertThat(result.succeeded()).isTrue();
        return result.revision();
    }

    /** Deletes one key unconditionally and returns the revision of the commit. */
    protected final long delete(String key) {
        TxnResult result = store.commit(Txn.builder().delete(key).build());
        assertThat(result.succeeded()).isTrue();
        return result.revision();
    }

    /** Runs {@code body(0..threads-1)} on that many platform threads at once and rethrows the first failure. */
    protected static void runInParallel(int threads, IntConsumer body) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int worker = i;
                futures.add(executor.submit(() -> {
                    awaitLatch(start);
                    body.accept(worker);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            executor.shutdownNow();
            executor.awaitTermination(AWAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    protected static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(AWAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released within " + AWAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A listener that records every call and lets a test wait for a revision to arrive. */
    protected static class Recorder implements WatchListener {
        private final List<List<WatchEvent>> calls = new ArrayList<>();

        @Override
        public synchronized void onEvents(List<WatchEvent> events) {
            calls.add(List.copyOf(events));
            notifyAll();
        }

        public synchronized List<List<WatchEvent>> calls() {
            return List.copyOf(calls);
        }

        public synchronized List<WatchEvent> events() {
            return calls.stream().flatMap(List::stream).toList();
        }

        /** The revision of each call, in delivery order. */
        public synchronized List<Long> revisions() {
            return calls.stream().map(call -> call.getFirst().revision()).toList();
        }

        /** One line per call: "rev TYPE key=value cCreate mMod vVersion", events joined by " | ". */
        public synchronized List<String> describe() {
            return calls.stream()
                    .map(call -> String.join(" | ", call.stream().map(Recorder::describe).toList()))
                    .toList();
        }

        private static String describe(WatchEvent e) {
            KeyValue kv = e.kv();
            return e.revision() + " " + e.type() + " " + kv.key() + "=" + kv.valueAsString()
                    + " c" + kv.createRevision() + " m" + kv.modRevision() + " v" + kv.version();
        }

        /** Waits until a call for {@code revision} or later has been recorded. */
        public synchronized void awaitRevision(long revision) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
            while (calls.isEmpty() || calls.getLast().getFirst().revision() < revision) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("revision " + revision + " not delivered; got " + revisions());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }
}
