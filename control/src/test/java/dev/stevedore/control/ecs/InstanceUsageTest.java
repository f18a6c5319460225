package dev.stevedore.control.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.Txn;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance's remaining resources and task counts follow from the tasks on it, whatever its
 * stored record says: a release that never reached the store is put right when the plan applier
 * next loads the cluster, and a record written by someone else keeps the applier's releases.
 */
class InstanceUsageTest {
    private static final String TASK_DEF = """
            {"family": "app", "containerDefinitions": [{"name": "a", "image": "x", "cpu": 256, "memory": 512,
             "portMappings": [{"containerPort": 80, "hostPort": 8080}]}]}""";

    @Test
    void aStoppedTaskWhoseReleaseWasNeverWrittenIsGivenBackOnTheNextLoad() {
        EcsHarness first = new EcsHarness();
        first.call("CreateCluster", "{\"clusterName\": \"default\"}");
        first.call("RegisterTaskDefinition", TASK_DEF);
        String instance = first.registerInstance("default", 1024, 2048, "us-east-1a");
        String taskArn = first.call("RunTask", "{\"taskDefinition\": \"app\"}").at("/tasks/0/taskArn").asText();
        first.api.close();
        // A crash between the agent's STOPPED report and the applier's instance write: the task is
        // stored STOPPED, the instance still shows its reservation.
        KeyValue stored = first.store.range("/ecs/").stream().filter(kv -> kv.key().endsWith(taskArn.substring(taskArn.lastIndexOf('/'))))
                .findFirst().orElseThrow();
        Task stopped = Records.decode(stored.value(), Task.class).toBuilder().lastStatus("STOPPED").desiredStatus("STOPPED").build();
        first.store.commit(Txn.builder().put(stored.key(), Records.encode(stopped)).build());

        EcsHarness restarted = new EcsHarness(first.store);
        JsonNode second = restarted.call("RunTask", "{\"taskDefinition\": \"app\"}");
        assertThat(second.get("failures")).as("port 8080 was given back").isEmpty();
        JsonNode described = describe(restarted, instance);
        assertThat(TasksTest.remaining(described, "CPU")).isEqualTo(1024 - 256);
        assertThat(TasksTest.remaining(described, "MEMORY")).isEqualTo(2048 - 512);
        assertThat(described.get("pendingTasksCount").asInt()).isEqualTo(1);
        restarted.api.close();
    }

    @Test
    void anInstanceWrittenBySomeoneElseKeepsTheReleasesOfItsTasks() {
        EcsHarness ecs = new EcsHarness();
        ecs.call("CreateCluster", "{\"clusterName\": \"default\"}");
        ecs.call("RegisterTaskDefinition", TASK_DEF);
        String instance = ecs.registerInstance("default", 1024, 2048, "us-east-1a");
        String taskArn = ecs.call("RunTask", "{\"taskDefinition\": \"app\"}").at("/tasks/0/taskArn").asText();
        ecs.call("SubmitTaskStateChange", "{\"task\": \"" + taskArn + "\", \"status\": \"RUNNING\"}");
        ecs.call("SubmitTaskStateChange", "{\"task\": \"" + taskArn + "\", \"status\": \"STOPPED\"}");
        // Written while the applier may still hold the release unwritten.
        ecs.call("PutAttributes", "{\"attributes\": [{\"name\": \"stack\", \"value\": \"blue\", \"targetId\": \""
                + instance + "\"}]}");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode d = describe(ecs, instance);
            assertThat(TasksTest.remaining(d, "CPU")).isEqualTo(1024);
            assertThat(TasksTest.remaining(d, "MEMORY")).isEqualTo(2048);
            assertThat(TasksTest.remainingPorts(d)).doesNotContain("8080");
            assertThat(d.get("runningTasksCount").asInt()).isZero();
            assertThat(d.get("pendingTasksCount").asInt()).isZero();
            assertThat(d.get("attributes").toString()).contains("blue");
        });
        ecs.api.close();
    }

    private static JsonNode describe(EcsHarness ecs, String instance) {
        return ecs.call("DescribeContainerInstances", "{\"containerInstances\": [\"" + instance + "\"]}")
                .at("/containerInstances/0");
    }
}
