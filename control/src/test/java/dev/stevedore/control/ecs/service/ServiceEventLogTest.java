package dev.stevedore.control.ecs.service;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The event log: newest first, at most 100, repeats of an unresolved cause left out for six hours. */
class ServiceEventLogTest {
    static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

    static List<String> messages(ServiceEventLog log) {
        return log.events().stream().map(e -> e.message()).toList();
    }

    @Test
    void newestFirstAMillisecondApartAndAtMostAHundred() {
        ServiceEventLog log = ServiceEventLog.empty().with(List.of("a", "b"), T);
        assertThat(messages(log)).containsExactly("b", "a");
        assertThat(log.events().get(0).createdAt()).isEqualTo(T.plusMillis(1));
        assertThat(log.events().get(0).id()).matches("[0-9a-f-]{36}");
        for (int i = 0; i < 150; i++) {
            log = log.with(List.of("e" + i), T.plusSeconds(i));
        }
        assertThat(log.events()).hasSize(100);
        assertThat(messages(log).getFirst()).isEqualTo("e149");
    }

    @Test
    void aRepeatIsLeftOutUntilTheServiceWasSteadyOrSixHoursPassed() {
        String unable = "(service web) was unable to place a task because no container instance met all of its requirements.";
        String steady = ServiceMessages.steady("web");
        ServiceEventLog log = ServiceEventLog.empty().with(List.of(unable), T);
        log = log.with(List.of(unable), T.plusSeconds(60));
        assertThat(messages(log)).containsExactly(unable);
        log = log.with(List.of(unable), T.plus(Duration.ofHours(6)).plusSeconds(1));
        assertThat(messages(log)).containsExactly(unable, unable);
        log = log.with(List.of(steady), T.plus(Duration.ofHours(7)));
        log = log.with(List.of(unable), T.plus(Duration.ofHours(7)).plusSeconds(1));
        assertThat(messages(log)).startsWith(unable, steady);
    }

    @Test
    void steadyStateRepeatsOnlyAfterSixHoursOrAfterSomethingElseHappened() {
        String steady = ServiceMessages.steady("web");
        ServiceEventLog log = ServiceEventLog.empty().with(List.of(steady), T);
        log = log.with(List.of(steady), T.plusSeconds(60));
        assertThat(log.events()).hasSize(1);
        log = log.with(List.of("(service web) has started 1 tasks: (task x)."), T.plusSeconds(70));
        log = log.with(List.of(steady), T.plusSeconds(80));
        assertThat(messages(log)).containsExactly(steady, "(service web) has started 1 tasks: (task x).", steady);
        log = log.with(List.of(steady), T.plus(Duration.ofHours(7)));
        assertThat(log.events()).hasSize(4);
    }
}
