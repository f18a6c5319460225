package dev.stevedore.agent.channel;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void waitsDoubleWithJitterUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), new SplittableRandom(7));

        long[] ceilings = {100, 200, 400, 800, 1000, 1000, 1000};
        for (long ceiling : ceilings) {
            long wait = backoff.next().toMillis();
            assertThat(wait).as("step with ceiling %d", ceiling).isBetween(ceiling / 2, ceiling);
        }
    }

    @Test
    void resetStartsOverFromTheFirstStep() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), new SplittableRandom(1));
        for (int i = 0; i < 6; i++) {
            backoff.next();
        }

        backoff.reset();

        assertThat(backoff.next().toMillis()).isBetween(50L, 100L);
    }

    @Test
    void agentsCutOffTogetherDoNotAllComeBackTogether() {
        long[] waits = new long[20];
        for (int i = 0; i < waits.length; i++) {
            waits[i] = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10), new SplittableRandom(i)).next().toMillis();
        }

        assertThat(java.util.Arrays.stream(waits).distinct().count()).isGreaterThan(10);
    }

    @Test
    void neverOverflowsAfterManyAttempts() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10), new SplittableRandom(3));
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.next()).isBetween(Duration.ofMillis(250), Duration.ofSeconds(10));
        }
    }
}
