package dev.stevedore.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.agent.runtime.HealthStatus;
import org.junit.jupiter.api.Test;

class TaskHealthTest {

    @Test
    void containerHealthInEcsTerms() {
        assertThat(TaskHealth.ofContainer(true, HealthStatus.HEALTHY)).isEqualTo("HEALTHY");
        assertThat(TaskHealth.ofContainer(true, HealthStatus.UNHEALTHY)).isEqualTo("UNHEALTHY");
        assertThat(TaskHealth.ofContainer(true, HealthStatus.STARTING)).isEqualTo("UNKNOWN");
        assertThat(TaskHealth.ofContainer(false, HealthStatus.HEALTHY)).isEqualTo("UNKNOWN");
    }
}
