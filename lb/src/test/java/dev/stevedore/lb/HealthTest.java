package dev.stevedore.lb;

import static dev.stevedore.lb.Fixtures.config;
import static dev.stevedore.lb.Fixtures.get;
import static dev.stevedore.lb.Fixtures.group;
import static dev.stevedore.lb.Fixtures.listener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stevedore.lb.config.Action;
import dev.stevedore.lb.config.Target;
import dev.stevedore.lb.config.TargetGroup;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Health checks: ALB's transitions and reason codes, and what routing does with them. */
class HealthTest extends PlaneTestBase {

    private TargetReading reading(String group, int targetPort) {
        return plane.reading(group, "127.0.0.1", targetPort).orElseThrow();
    }

    private void awaitVerdict(String group, int targetPort, String verdict) {
        await().atMost(Duration.ofSeconds(10)).until(() -> reading(group, targetPort).verdict().equals(verdict));
    }

    @Test
    void targetGoesInitialHealthyUnhealthyHealthyWithReasons() throws Exception {
        TestBackend a = backend("a");
        a.healthStatus(500);
        TargetGroup web = group("web", a).withHealthCheck(Fixtures.FAST_CHECK.every(Duration.ofMillis(300), Duration.ofMillis(250)));
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), web));

        TargetReading first = reading("web", a.port());
        assertThat(first.verdict()).isEqualTo("initial");
        assertThat(first.reason()).isEqualTo("Elb.InitialHealthChecking");

        // The reason is the last failed check's: on a loaded machine an early check can time out (250 ms)
        // before the backend answers its 500s, so the wait is for the verdict the 500s give.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            TargetReading now = reading("web", a.port());
            return now.verdict().equals("unhealthy") && now.reason().equals("Target.ResponseCodeMismatch");
        });
        TargetReading mismatch = reading("web", a.port());
        assertThat(mismatch.description()).isEqualTo("Health checks failed with these codes: [500]");

        a.healthStatus(200);
        awaitVerdict("web", a.port(), "healthy");
        TargetReading healthy = reading("web", a.port());
        assertThat(healthy.reason()).isEmpty();
        assertThat(healthy.description()).isEmpty();
    }

    @Test
    void matcherRangesAndListsAreHonoured() throws Exception {
        TestBackend a = backend("a");
        a.healthStatus(202);
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))),
                group("web", a).withHealthCheck(Fixtures.FAST_CHECK.at("/health", "200,202"))));
        awaitVerdict("web", a.port(), "healthy");

        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))),
                group("web", a).withHealthCheck(Fixtures.FAST_CHECK.at("/health", "300-399"))));
        awaitVerdict("web", a.port(), "unhealthy");
        assertThat(reading("web", a.port()).description()).isEqualTo("Health checks failed with these codes: [202]");
    }

    @Test
    void refusedConnectionIsFailedHealthChecks() throws Exception {
        int nobody = Fixtures.freePort();
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))),
                TargetGroup.of("web", List.of(Target.at("127.0.0.1", nobody))).withHealthCheck(Fixtures.FAST_CHECK)));

        awaitVerdict("web", nobody, "unhealthy");
        assertThat(reading("web", nobody).reason()).isEqualTo("Target.FailedHealthChecks");
    }

    @Test
    void slowAnswerIsTimeout() throws Exception {
        TestBackend a = backend("a");
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))),
                group("web", a).withHealthCheck(Fixtures.FAST_CHECK.at("/slow", "200").every(Duration.ofMillis(300), Duration.ofMillis(200)))));

        awaitVerdict("web", a.port(), "unhealthy");
        assertThat(reading("web", a.port()).reason()).isEqualTo("Target.Timeout");
        assertThat(reading("web", a.port()).description()).isEqualTo("Request timed out");
    }

    @Test
    void unhealthyTargetsGetNoTrafficUntilAllAreUnhealthyThenAllDo() throws Exception {
        TestBackend a = backend("a");
        TestBackend b = backend("b");
        b.healthStatus(503);
        plane.apply(config(List.of(listener(port, Action.Forward.to("web"))), group("web", a, b)));
        awaitVerdict("web", a.port(), "healthy");
        awaitVerdict("web", b.port(), "unhealthy");

        for (int i = 0; i < 10; i++) {
            assertThat(get(client, port, "/").body()).isEqualTo("a");
        }

        a.healthStatus(503);
        awaitVerdict("web", a.port(), "unhealthy");
        Set<String> served = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            var response = get(client, port, "/");
            assertThat(response.statusCode()).isEqualTo(200);
            served.add(response.body());
        }
        assertThat(served).containsExactlyInAnyOrder("a", "b");
    }
}
