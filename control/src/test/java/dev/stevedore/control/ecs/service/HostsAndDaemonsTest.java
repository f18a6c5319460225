package dev.stevedore.control.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ecs.ControllerSettings;
import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.service.rollout.RolloutSettings;
import dev.stevedore.store.InMemoryStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What services do when hosts drain, vanish or join: replicas move off a draining instance (and
 * standalone tasks stay), a lost host's tasks are stopped and run elsewhere, and a daemon service
 * follows the instances.
 */
class HostsAndDaemonsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EcsHarness ecs;
    private FakeAgents agents;
    private final List<String> instances = new ArrayList<>();

    @BeforeEach
    void setUp() {
        ecs = new EcsHarness(new InMemoryStateStore(), new ControllerSettings(
                new RolloutSettings(Duration.ofMillis(200), Duration.ofMillis(300)), Duration.ofMillis(500)));
        ecs.call("CreateCluster", "{\"clusterName\": \"c\"}");
        for (String zone : List.of("us-east-1a", "us-east-1b", "us-east-1c")) {
            instances.add(ecs.registerInstance("c", 4096, 8192, zone));
        }
        agents = new FakeAgents(ecs, "c");
        ecs.call("RegisterTaskDefinition", """
                {"family": "web", "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 128}]}""");
    }

    @AfterEach
    void tearDown() {
        agents.close();
        ecs.api.close();
    }

    private JsonNode service(String name) {
        return ecs.call("DescribeServices", "{\"cluster\": \"c\", \"services\": [\"" + name + "\"]}").at("/services/0");
    }

    private List<JsonNode> tasks(String filter) {
        List<JsonNode> out = new ArrayList<>();
        ecs.call("ListTasks", "{\"cluster\": \"c\"" + filter + "}").at("/taskArns").forEach(arn -> out.add(
                ecs.call("DescribeTasks", "{\"cluster\": \"c\", \"tasks\": [\"" + arn.asText() + "\"]}").at("/tasks/0")));
        return out;
    }

    private boolean runningOn(String service, int count, String notOn) {
        List<JsonNode> ts = tasks(", \"serviceName\": \"" + service + "\"");
        return ts.size() == count && ts.stream().allMatch(t -> t.at("/lastStatus").asText().equals("RUNNING")
                && !t.at("/containerInstanceArn").asText().equals(notOn));
    }

    @Test
    void aDrainingInstanceLosesItsServiceTasksButKeepsStandaloneOnes() {
        ecs.call("CreateService", "{\"cluster\": \"c\", \"serviceName\": \"api\", \"taskDefinition\": \"web\", \"desiredCount\": 3}");
        await().atMost(WAIT).until(() -> runningOn("api", 3, ""));
        String drained = instances.getFirst();
        String standalone = ecs.call("StartTask", "{\"cluster\": \"c\", \"taskDefinition\": \"web\", \"containerInstances\": [\""
                + drained + "\"]}").at("/tasks/0/taskArn").asText();
        await().atMost(WAIT).until(() -> tasks(", \"family\": \"web\"").stream()
                .anyMatch(t -> t.at("/taskArn").asText().equals(standalone) && t.at("/lastStatus").asText().equals("RUNNING")));
        ecs.call("UpdateContainerInstancesState", "{\"cluster\": \"c\", \"containerInstances\": [\"" + drained
                + "\"], \"status\": \"DRAINING\"}");
        await().atMost(WAIT).until(() -> runningOn("api", 3, drained));
        assertThat(ecs.call("DescribeTasks", "{\"cluster\": \"c\", \"tasks\": [\"" + standalone + "\"]}")
                .at("/tasks/0/lastStatus").asText()).isEqualTo("RUNNING");
        await().atMost(WAIT).until(() -> service("api").at("/deployments").size() == 1
                && service("api").at("/runningCount").asInt() == 3);
    }

    @Test
    void aLostHostsServiceTasksRunElsewhere() {
        ecs.call("CreateService", "{\"cluster\": \"c\", \"serviceName\": \"api\", \"taskDefinition\": \"web\", \"desiredCount\": 3}");
        await().atMost(WAIT).until(() -> runningOn("api", 3, ""));
        String lost = instances.get(1);
        String victim = tasks(", \"serviceName\": \"api\"").stream()
                .filter(t -> t.at("/containerInstanceArn").asText().equals(lost)).findFirst().orElseThrow()
                .at("/taskArn").asText();
        agents.kill(lost);
        await().atMost(WAIT).until(() -> runningOn("api", 3, lost));
        JsonNode stopped = ecs.call("DescribeTasks", "{\"cluster\": \"c\", \"tasks\": [\"" + victim + "\"]}").at("/tasks/0");
        assertThat(stopped.at("/lastStatus").asText()).isEqualTo("STOPPED");
        assertThat(stopped.at("/stopCode").asText()).isEqualTo("TerminationNotice");
        assertThat(stopped.at("/stoppedReason").asText()).matches("Host EC2 \\(instance i-[0-9a-f]+\\) lost: .*");
    }

    @Test
    void aDaemonServiceFollowsTheInstances() {
        JsonNode created = ecs.call("CreateService", "{\"cluster\": \"c\", \"serviceName\": \"logs\", \"taskDefinition\": \"web\","
                + " \"schedulingStrategy\": \"DAEMON\"}").at("/service");
        assertThat(created.at("/deploymentConfiguration/maximumPercent").asInt()).isEqualTo(100);
        assertThat(created.at("/deploymentConfiguration/minimumHealthyPercent").asInt()).isZero();
        await().atMost(WAIT).until(() -> runningOn("logs", 3, "") && service("logs").at("/desiredCount").asInt() == 3);
        String joined = ecs.registerInstance("c", 4096, 8192, "us-east-1a");
        await().atMost(WAIT).until(() -> runningOn("logs", 4, "") && service("logs").at("/desiredCount").asInt() == 4);
        assertThat(tasks(", \"serviceName\": \"logs\"")).extracting(t -> t.at("/containerInstanceArn").asText())
                .containsExactlyInAnyOrder(instances.get(0), instances.get(1), instances.get(2), joined);
        ecs.call("UpdateContainerInstancesState", "{\"cluster\": \"c\", \"containerInstances\": [\"" + instances.get(0)
                + "\"], \"status\": \"DRAINING\"}");
        await().atMost(WAIT).until(() -> runningOn("logs", 3, instances.get(0)) && service("logs").at("/desiredCount").asInt() == 3);
        agents.kill(instances.get(1));
        await().atMost(WAIT).until(() -> tasks(", \"serviceName\": \"logs\"").stream()
                .noneMatch(t -> t.at("/containerInstanceArn").asText().equals(instances.get(1))));
    }

    @Test
    void aDaemonServiceHonoursItsConstraintsAndRefusesReplicaOnlySettings() {
        ecs.fails("CreateService", "{\"cluster\": \"c\", \"serviceName\": \"x\", \"taskDefinition\": \"web\","
                + " \"schedulingStrategy\": \"DAEMON\", \"desiredCount\": 2}", "InvalidParameterException");
        ecs.fails("CreateService", "{\"cluster\": \"c\", \"serviceName\": \"x\", \"taskDefinition\": \"web\","
                + " \"schedulingStrategy\": \"DAEMON\", \"placementStrategy\": [{\"type\": \"random\"}]}", "InvalidParameterException");
        ecs.call("PutAttributes", "{\"cluster\": \"c\", \"attributes\": [{\"name\": \"role\", \"value\": \"web\", "
                + "\"targetId\": \"" + instances.get(2) + "\"}]}");
        ecs.call("CreateService", "{\"cluster\": \"c\", \"serviceName\": \"logs\", \"taskDefinition\": \"web\","
                + " \"schedulingStrategy\": \"DAEMON\", \"placementConstraints\": [{\"type\": \"memberOf\", "
                + "\"expression\": \"attribute:role == web\"}]}");
        await().atMost(WAIT).until(() -> runningOn("logs", 1, "") && service("logs").at("/desiredCount").asInt() == 1);
        assertThat(tasks(", \"serviceName\": \"logs\"").getFirst().at("/containerInstanceArn").asText())
                .isEqualTo(instances.get(2));
    }
}
