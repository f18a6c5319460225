package dev.stevedore.server.agentchannel;

import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskHealthReport;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HealthReportsTest {
    private static final String TASK = "arn:aws:ecs:us-east-1:123456789012:task/default/abc";
    private static final Optional<TaskAssignment> PUSHED = Optional.of(
            new TaskAssignment(Task.builder().taskArn(TASK).build(), TaskDefinition.builder()
                    .containerDefinitions(List.of(
                            ContainerDefinition.builder().name("web").build(),
                            ContainerDefinition.builder().name("sidecar").essential(false).build(),
                            ContainerDefinition.builder().name("db").essential(true).build()))
                    .build()));

    @Test
    void essentialContainersComeFromTheTaskDefinition() {
        var update = HealthReports.plan(PUSHED, TaskHealthReport.of(TASK, Map.of("web", "HEALTHY", "sidecar", "UNHEALTHY"))).orElseThrow();

        assertThat(update.essentialContainers()).containsExactly("web", "db");
        assertThat(update.containers()).containsOnly(Map.entry("web", "HEALTHY"), Map.entry("sidecar", "UNHEALTHY"));
    }

    @Test
    void unknownContainersAndValuesAreDropped() {
        var update = HealthReports.plan(PUSHED, TaskHealthReport.of(TASK, Map.of("web", "GREAT", "db", "UNKNOWN", "intruder", "HEALTHY"))).orElseThrow();

        assertThat(update.containers()).containsOnly(Map.entry("db", "UNKNOWN"));
    }

    @Test
    void aTaskThatWasNotPushedToThisAgentIsNotItsToReport() {
        assertThat(HealthReports.plan(Optional.empty(), TaskHealthReport.of(TASK, Map.of("web", "HEALTHY"))))
                .isEmpty();
        assertThat(HealthReports.plan(PUSHED, TaskHealthReport.of(TASK + "x", Map.of("web", "HEALTHY"))))
                .isEmpty();
        assertThat(HealthReports.plan(PUSHED, TaskHealthReport.of(TASK, Map.of()))).isEmpty();
    }
}
