package dev.stevedore.control.ecs.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;
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
    private static final TaskDefinition DEFINITION = TaskDefinition.builder()
            .containerDefinitions(List.of(
                    ContainerDefinition.builder().name("web").build(),
                    ContainerDefinition.builder().name("sidecar").essential(false).build(),
                    ContainerDefinition.builder().name("db").essential(true).build()))
            .build();
    private static final Optional<TaskAssignment> PUSHED = Optional.of(
            new TaskAssignment(Task.builder().taskArn(TASK).build(), DEFINITION));

    @Test
    void essentialContainersComeFromTheTaskDefinition() {
        var update = HealthReports.plan(PUSHED,
                TaskHealthReport.of(TASK, Map.of("web", "HEALTHY", "sidecar", "UNHEALTHY"))).orElseThrow();

        assertThat(update.essentialContainers()).containsExactly("web", "db");
        assertThat(update.containers()).containsOnly(Map.entry("web", "HEALTHY"), Map.entry("sidecar", "UNHEALTHY"));
    }

    @Test
    void unknownContainersAndValuesAreDropped() {
        var update = HealthReports.plan(PUSHED,
                TaskHealthReport.of(TASK, Map.of("web", "GREAT", "db", "UNKNOWN", "intruder", "HEALTHY"))).orElseThrow();

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

    @Test
    void theTasksHealthIsDerivedHereFromItsEssentialContainers() {
        EcsHarness ecs = new EcsHarness();
        ecs.call("CreateCluster", "{\"clusterName\": \"default\"}");
        ecs.call("RegisterTaskDefinition", """
                {"family": "web", "containerDefinitions": [
                  {"name": "web", "image": "busybox", "memory": 64},
                  {"name": "sidecar", "image": "busybox", "memory": 64, "essential": false},
                  {"name": "db", "image": "busybox", "memory": 64}]}""");
        InstanceRef agent = InstanceRef.parse(ecs.registerInstance("default", 4096, 4096, "us-east-1a")).orElseThrow();
        String arn = ecs.call("RunTask", "{\"taskDefinition\": \"web\"}").at("/tasks/0/taskArn").asText();
        HealthReports reports = new HealthReports(ecs.api.taskStateChanges());
        Optional<TaskAssignment> pushed = Optional.of(new TaskAssignment(Task.builder().taskArn(arn).build(), DEFINITION));

        // A non-essential container's health does not count; a container not reported yet leaves it UNKNOWN.
        assertThat(reports.record(agent, pushed,
                TaskHealthReport.of(arn, Map.of("web", "HEALTHY", "sidecar", "UNHEALTHY")))).isTrue();
        assertThat(health(ecs, arn)).isEqualTo("HEALTHY web=HEALTHY sidecar=UNHEALTHY db=null");

        reports.record(agent, pushed, TaskHealthReport.of(arn, Map.of("db", "UNHEALTHY")));
        assertThat(health(ecs, arn)).isEqualTo("UNHEALTHY web=HEALTHY sidecar=UNHEALTHY db=UNHEALTHY");

        reports.record(agent, pushed, TaskHealthReport.of(arn, Map.of("db", "HEALTHY")));
        assertThat(health(ecs, arn)).isEqualTo("HEALTHY web=HEALTHY sidecar=UNHEALTHY db=HEALTHY");

        assertThat(reports.record(agent, Optional.empty(), TaskHealthReport.of(arn, Map.of("web", "UNHEALTHY"))))
                .isFalse();
        assertThat(health(ecs, arn)).startsWith("HEALTHY web=HEALTHY");
    }

    /** "TASK name=CONTAINER ...", as DescribeTasks tells it. */
    private static String health(EcsHarness ecs, String arn) {
        JsonNode task = ecs.call("DescribeTasks", "{\"tasks\": [\"" + arn + "\"]}").at("/tasks/0");
        StringBuilder out = new StringBuilder(task.path("healthStatus").asText("null"));
        task.get("containers").forEach(c -> out.append(' ').append(c.get("name").asText()).append('=')
                .append(c.path("healthStatus").asText("null")));
        return out.toString();
    }
}
