package dev.stevedore.bench;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Drives HTTP requests at a server: closed-loop (N callers back to back, for the maximum rate) or
 * open-loop (a fixed arrival rate, latency measured from the intended send time so that a stalled
 * server is not hidden by callers that wait for it).
 */
final class LoadGenerator {
    private static final int MAX_IN_FLIGHT = 256;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(2))
            .build();

    LoadResult closedLoop(String name, Supplier<java.net.http.HttpRequest> requests, int callers, Duration duration)
            throws InterruptedException {
        AtomicLong errors = new AtomicLong();
        LatencyLog log = new LatencyLog(2_000_000);
        long end = System.nanoTime() + duration.toNanos();
        CountDownLatch done = new CountDownLatch(callers);
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                pool.execute(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            long t0 = System.nanoTime();
                            if (!send(requests.get())) {
                                errors.incrementAndGet();
                            }
                            log.record(System.nanoTime() - t0);
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LoadResult(name, log.count(), errors.get(), seconds, log.snapshot());
    }

    LoadResult openLoop(String name, Supplier<java.net.http.HttpRequest> requests, double ratePerSecond,
                        Duration duration) throws InterruptedException {
        AtomicLong errors = new AtomicLong();
        LatencyLog log = new LatencyLog(2_000_000);
        long interval = (long) (1e9 / ratePerSecond);
        long total = (long) (ratePerSecond * duration.toSeconds());
        CountDownLatch done = new CountDownLatch((int) total);
        // Bounds the connections in flight; when the server falls behind, later sends wait here and
        // their latency (counted from the intended send time) shows it.
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(MAX_IN_FLIGHT);
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; i < total; i++) {
                long intended = start + i * interval;
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                inFlight.acquireUninterruptibly();
                pool.execute(() -> {
                    try {
                        if (!send(requests.get())) {
                            errors.incrementAndGet();
                        }
                        log.record(System.nanoTime() - intended);
                    } finally {
                        inFlight.release();
                        done.countDown();
                    }
                });
            }
            done.await();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LoadResult(name, log.count(), errors.get(), seconds, log.snapshot());
    }

    private boolean send(java.net.http.HttpRequest request) {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** Latencies recorded from many threads into one preallocated array. */
    private static final class LatencyLog {
        private final long[] values;
        private final AtomicLong next = new AtomicLong();

        LatencyLog(int capacity) {
            values = new long[capacity];
        }

        void record(long nanos) {
            long i = next.getAndIncrement();
            if (i < values.length) {
                values[(int) i] = nanos;
            }
        }

        long count() {
            return next.get();
        }

        long[] snapshot() {
            return java.util.Arrays.copyOf(values, (int) Math.min(values.length, next.get()));
        }
    }
}
