package dev.stevedore.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.agent.engine.TaskHealth.Member;
import dev.stevedore.agent.runtime.HealthStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskHealthTest {

    @Test
    void containerHealthInEcsTerms() {
        assertThat(TaskHealth.ofContainer(true, HealthStatus.HEALTHY)).isEqualTo("HEALTHY");
        assertThat(TaskHealth.ofContainer(true, HealthStatus.UNHEALTHY)).isEqualTo("UNHEALTHY");
        assertThat(TaskHealth.ofContainer(true, HealthStatus.STARTING)).isEqualTo("UNKNOWN");
        assertThat(TaskHealth.ofContainer(false, HealthStatus.HEALTHY)).isEqualTo("UNKNOWN");
    }

    @Test
    void healthyOnlyWhenEveryEssentialContainerWithACheckIsHealthy() {
        assertThat(TaskHealth.ofTask(List.of(
                new Member(true, true, HealthStatus.HEALTHY),
                new Member(true, false, HealthStatus.NONE),
                new Member(false, true, HealthStatus.STARTING)))).isEqualTo("HEALTHY");
        assertThat(TaskHealth.ofTask(List.of(
                new Member(true, true, HealthStatus.HEALTHY),
                new Member(true, true, HealthStatus.STARTING)))).isEqualTo("UNKNOWN");
    }

    @Test
    void unhealthyWhenAnyEssentialContainerIsUnhealthy() {
        assertThat(TaskHealth.ofTask(List.of(
                new Member(true, true, HealthStatus.HEALTHY),
                new Member(true, true, HealthStatus.UNHEALTHY)))).isEqualTo("UNHEALTHY");
    }

    @Test
    void nonEssentialContainersDoNotCount() {
        assertThat(TaskHealth.ofTask(List.of(
                new Member(true, false, HealthStatus.NONE),
                new Member(false, true, HealthStatus.UNHEALTHY)))).isEqualTo("UNKNOWN");
    }

    @Test
    void unknownWithoutAnyCheck() {
        assertThat(TaskHealth.ofTask(List.of(new Member(true, false, HealthStatus.NONE)))).isEqualTo("UNKNOWN");
        assertThat(TaskHealth.ofTask(List.of())).isEqualTo("UNKNOWN");
    }
}
