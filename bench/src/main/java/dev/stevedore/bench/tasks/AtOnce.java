package dev.stevedore.bench.tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;

/** Starting many jobs at the same moment, for the bursts of a {@link TasksBenchmark}. */
final class AtOnce {
    private AtOnce() {
    }

    /** A job's result and when it came back. */
    record Done<T>(T value, long at) {
    }

    /**
     * Runs {@code n} jobs on platform threads released together by one gate, so that "at once"
     * means at once; t0 is taken just before the gate opens.
     */
    static <T> List<Done<T>> run(int n, long[] t0, IntFunction<T> job) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch gate = new CountDownLatch(1);
        List<Done<T>> results = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            threads.add(Thread.ofPlatform().name("at-once-" + i).start(() -> {
                ready.countDown();
                try {
                    gate.await();
                    T value = job.apply(index);
                    results.add(new Done<>(value, WallClock.now()));
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        ready.await();
        t0[0] = WallClock.now();
        gate.countDown();
        for (Thread t : threads) {
            t.join();
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("a parallel start failed", errors.get(0));
        }
        return results;
    }
}
