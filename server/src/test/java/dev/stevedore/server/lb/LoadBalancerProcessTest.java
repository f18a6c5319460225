package dev.stevedore.server.lb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.agent.channel.Backoff;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadBalancerProcessTest {

    @Test
    void theBackOffDoublesFromAQuarterSecondUpToTenSecondsAndIsHalfToAllOfItsCeiling() {
        for (int i = 0; i < 200; i++) {
            Backoff backoff = LoadBalancerProcess.reconnectBackoff();
            assertThat(backoff.next()).isBetween(Duration.ofMillis(125), Duration.ofMillis(250));
            backoff.next();
            assertThat(backoff.next()).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
            for (int failure = 4; failure < 50; failure++) {
                backoff.next();
            }
            assertThat(backoff.next()).isBetween(Duration.ofSeconds(5), LoadBalancerProcess.MAX_BACK_OFF);
        }
    }
}
