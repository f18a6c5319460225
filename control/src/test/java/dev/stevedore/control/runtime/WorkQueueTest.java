package dev.stevedore.control.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WorkQueueTest {

    @Test
    void aKeyIsNeverReconciledByTwoWorkersAtOnceAndRunsAgainIfAddedMeanwhile() throws Exception {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (WorkQueue<String> q = new WorkQueue<>("t", 4, key -> {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            if (runs.incrementAndGet() == 1) {
                firstStarted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            concurrent.decrementAndGet();
            return Optional.empty();
        })) {
            q.add("k");
            assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
            q.add("k");
            q.add("k");
            Thread.sleep(50);
            assertThat(runs.get()).isEqualTo(1);
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 2 && q.backlog() == 0);
            Thread.sleep(50);
            assertThat(runs.get()).isEqualTo(2);
            assertThat(maxConcurrent.get()).isEqualTo(1);
        }
    }

    @Test
    void differentKeysRunInParallel() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        List<Boolean> metEachOther = new CopyOnWriteArrayList<>();
        try (WorkQueue<String> q = new WorkQueue<>("t", 2, key -> {
            both.countDown();
            try {
                metEachOther.add(both.await(5, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        })) {
            q.add("a");
            q.add("b");
            await().atMost(Duration.ofSeconds(10)).until(() -> metEachOther.size() == 2);
            assertThat(metEachOther).containsExactly(true, true);
        }
    }

    @Test
    void aFailingKeyIsRetriedAndARequestedDelayIsHonoured() {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Map<String, Long> lastRun = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        try (WorkQueue<String> q = new WorkQueue<>("t", 2, key -> {
            int n = runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            lastRun.put(key, System.nanoTime());
            if (key.equals("fails") && n < 3) {
                throw new IllegalStateException("not yet");
            }
            if (key.equals("timer") && n == 1) {
                return Optional.of(Duration.ofMillis(300));
            }
            return Optional.empty();
        })) {
            q.add("fails");
            q.add("timer");
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.getOrDefault("fails", new AtomicInteger()).get() == 3
                    && runs.getOrDefault("timer", new AtomicInteger()).get() == 2);
            assertThat(Duration.ofNanos(lastRun.get("timer") - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void anEarlierTimerWinsOverALaterOneForTheSameKey() {
        List<Long> at = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        try (WorkQueue<String> q = new WorkQueue<>("t", 1, key -> {
            at.add(System.nanoTime() - start);
            return Optional.empty();
        })) {
            q.addAfter("k", Duration.ofSeconds(30));
            q.addAfter("k", Duration.ofMillis(100));
            await().atMost(Duration.ofSeconds(5)).until(() -> at.size() == 1);
            assertThat(Duration.ofNanos(at.getFirst())).isLessThan(Duration.ofSeconds(5));
        }
    }
}
