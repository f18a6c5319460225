package dev.stevedore.agent.channel;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LatestValueDeliveryTest {

    @Test
    void aSlowConsumerGetsTheNewestValueAndSkipsTheOnesItHadNoTimeFor() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        try (LatestValueDelivery<Integer> delivery = new LatestValueDelivery<>("test", v -> {
            seen.add(v);
            busy.countDown();
            awaitQuietly(release);
        }, Duration.ofMillis(10))) {
            delivery.offer(1);
            assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 2; i <= 10; i++) {
                delivery.offer(i);
            }
            release.countDown();

            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(10));
            assertThat(seen).containsExactly(1, 10);
        }
    }

    @Test
    void aFailedDeliveryIsRetriedUnlessANewerValueCame() {
        AtomicInteger attempts = new AtomicInteger();
        List<String> applied = new CopyOnWriteArrayList<>();
        try (LatestValueDelivery<String> delivery = new LatestValueDelivery<>("test", v -> {
            if (v.equals("a") && attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("engine not ready");
            }
            applied.add(v);
        }, Duration.ofMillis(20))) {
            delivery.offer("a");

            await().atMost(Duration.ofSeconds(5)).until(() -> applied.contains("a"));
            assertThat(attempts.get()).isEqualTo(3);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
