package dev.stevedore.agent.runtime;

import static dev.stevedore.agent.runtime.DockerTestSupport.run;
import static dev.stevedore.agent.runtime.DockerTestSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthCheckIT extends RuntimeITBase {

    private static final Duration FAST = Duration.ofSeconds(1);

    @Test
    void passingCheckTurnsHealthyAfterStarting() {
        String id = run(runtime, spec("healthy")
                .command("sleep", "60")
                .healthCheck(HealthCheck.shell("test -d /tmp").withInterval(FAST).withTimeout(FAST))
                .build());

        assertThat(runtime.inspectContainer(id).health()).isIn(HealthStatus.STARTING, HealthStatus.HEALTHY);
        await().atMost(Duration.ofSeconds(20)).until(() -> runtime.inspectContainer(id).health() == HealthStatus.HEALTHY);
    }

    @Test
    void failingCheckTurnsUnhealthyAfterItsRetries() {
        String id = run(runtime, spec("unhealthy")
                .command("sleep", "60")
                .healthCheck(new HealthCheck(List.of("CMD", "false"), FAST, FAST, 2, Duration.ZERO))
                .build());

        await().atMost(Duration.ofSeconds(20)).until(() -> runtime.inspectContainer(id).health() == HealthStatus.UNHEALTHY);
        assertThat(runtime.inspectContainer(id).running()).isTrue();
    }

    @Test
    void checkThatOutlivesItsTimeoutCountsAsFailed() {
        String id = run(runtime, spec("slowcheck")
                .command("sleep", "60")
                .healthCheck(HealthCheck.shell("sleep 5").withInterval(FAST).withTimeout(FAST).withRetries(1))
                .build());

        await().atMost(Duration.ofSeconds(20)).until(() -> runtime.inspectContainer(id).health() == HealthStatus.UNHEALTHY);
    }

    @Test
    void containerWithoutCheckHasNoHealth() {
        String id = run(runtime, spec("nocheck").command("sleep", "60").build());

        assertThat(runtime.inspectContainer(id).health()).isEqualTo(HealthStatus.NONE);
    }
}
