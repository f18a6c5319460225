package dev.stevedore.agent.stats;

import dev.stevedore.agent.runtime.ContainerUsage;
import dev.stevedore.model.agent.TaskStatsReport.TaskUsage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UsageRatesTest {
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    private static ContainerUsage reading(long seconds, long cpuNanos, long memory) {
        return new ContainerUsage(T0.plusSeconds(seconds), cpuNanos, memory);
    }

    @Test
    void aTaskIsReportedFromItsSecondRoundWithItsContainersSummed() {
        UsageRates rates = new UsageRates();

        assertThat(rates.next(Map.of("t", Map.of("a", reading(0, 0, 100), "b", reading(0, 0, 50))))).isEmpty();
        // a: 5 s of CPU in 10 s, b: 10 s of CPU in 10 s (a whole core).
        assertThat(rates.next(Map.of("t", Map.of("a", reading(10, 5_000_000_000L, 120),
                "b", reading(10, 10_000_000_000L, 80)))))
                .containsExactly(new TaskUsage("t", 1.5, 200));
    }

    @Test
    void aContainerNewInTheRoundLeavesItsTaskOutUntilTheNext() {
        UsageRates rates = new UsageRates();
        rates.next(Map.of("t", Map.of("a", reading(0, 0, 1))));

        assertThat(rates.next(Map.of("t", Map.of("a", reading(10, 1_000_000_000L, 1), "b", reading(10, 7, 1)))))
                .isEmpty();
        assertThat(rates.next(Map.of("t", Map.of("a", reading(20, 2_000_000_000L, 1), "b", reading(20, 7, 1)))))
                .containsExactly(new TaskUsage("t", 0.1, 2));
    }

    @Test
    void aCounterThatWentBackOrNoTimeBetweenReadingsGivesNoRate() {
        UsageRates rates = new UsageRates();
        rates.next(Map.of("t", Map.of("a", reading(0, 9_000, 1)), "u", Map.of("b", reading(0, 0, 1))));

        assertThat(rates.next(Map.of("t", Map.of("a", reading(10, 1_000, 1)), "u", Map.of("b", reading(0, 5, 1)))))
                .isEmpty();
    }

    @Test
    void aReadingWithoutATimeGivesNoRateAndTheRestOfTheRoundIsKept() {
        UsageRates rates = new UsageRates();
        ContainerUsage notRunning = new ContainerUsage(Instant.parse("0001-01-01T00:00:00Z"), 0, 0);
        rates.next(Map.of("t", Map.of("a", reading(0, 0, 1)), "u", Map.of("b", reading(0, 0, 1))));

        // Two thousand years between the readings: once an overflow that threw the whole round away.
        assertThat(rates.next(Map.of("t", Map.of("a", notRunning), "u", Map.of("b", reading(10, 10_000_000_000L, 1)))))
                .containsExactly(new TaskUsage("u", 1, 1));
        assertThat(rates.next(Map.of("t", Map.of("a", reading(20, 0, 1)), "u", Map.of("b", reading(20, 10_000_000_000L, 1)))))
                .containsExactly(new TaskUsage("u", 0, 1));
    }

    @Test
    void aContainerMissingFromARoundIsForgotten() {
        UsageRates rates = new UsageRates();
        rates.next(Map.of("t", Map.of("a", reading(0, 0, 1))));
        rates.next(Map.of());

        assertThat(rates.next(Map.of("t", Map.of("a", reading(20, 1, 1))))).isEmpty();
    }
}
