package dev.stevedore.server.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadBalancerProcessTest {

    @Test
    void theBackOffDoublesFromAQuarterSecondUpToTenSecondsAndIsHalfToAllOfItsCeiling() {
        for (int i = 0; i < 200; i++) {
            assertThat(LoadBalancerProcess.backOff(1)).isBetween(Duration.ofMillis(125), Duration.ofMillis(250));
            assertThat(LoadBalancerProcess.backOff(3)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
            assertThat(LoadBalancerProcess.backOff(50)).isBetween(Duration.ofSeconds(5), LoadBalancerProcess.MAX_BACK_OFF);
        }
    }
}
