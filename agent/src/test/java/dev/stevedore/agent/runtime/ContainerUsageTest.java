package dev.stevedore.agent.runtime;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContainerUsageTest {

    @Test
    void cgroupV1StatsCountMemoryLessTheInactiveCache() {
        String json = """
                {"read":"2026-12-07T12:00:01.123456789Z","cpu_stats":{"cpu_usage":{"total_usage":123456789},
                 "online_cpus":2},"memory_stats":{"usage":10485760,"limit":536870912,
                 "stats":{"total_inactive_file":4194304,"cache":5000000}}}""";

        assertThat(ContainerUsage.parse(json)).isEqualTo(new ContainerUsage(
                Instant.parse("2026-12-07T12:00:01.123456789Z"), 123456789, 6291456));
    }

    @Test
    void cgroupV2StatsNameTheCacheInactiveFile() {
        String json = """
                {"read":"2026-12-07T12:00:01Z","cpu_stats":{"cpu_usage":{"total_usage":5}},
                 "memory_stats":{"usage":3000,"stats":{"inactive_file":1000}}}""";

        assertThat(ContainerUsage.parse(json).memoryBytes()).isEqualTo(2000);
    }

    @Test
    void aStoppedContainerHasNoMemory() {
        String json = """
                {"read":"0001-01-01T00:00:00Z","cpu_stats":{"cpu_usage":{"total_usage":0}},"memory_stats":{}}""";

        assertThat(ContainerUsage.parse(json).memoryBytes()).isZero();
        assertThat(ContainerUsage.parse(json).measured()).isFalse();
        assertThat(ContainerUsage.parse(json.replace("0001-01-01T00:00:00Z", "2026-12-07T12:00:01Z")).measured())
                .isTrue();
    }

    @Test
    void textThatIsNotTheEnginesStatsIsAnEngineError() {
        assertThatThrownBy(() -> ContainerUsage.parse("<html>")).isInstanceOf(ContainerRuntimeException.class)
                .extracting(e -> ((ContainerRuntimeException) e).kind()).isEqualTo(ContainerRuntimeException.Kind.ENGINE_ERROR);
        assertThatThrownBy(() -> ContainerUsage.parse("{}")).isInstanceOf(ContainerRuntimeException.class);
    }
}
