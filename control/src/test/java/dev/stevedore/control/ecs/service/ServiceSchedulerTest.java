package dev.stevedore.control.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The service scheduler end to end in one process: the real API, store, plan applier and
 * controller, with {@link FakeAgents} in place of Docker. Timings are shortened: a task without a
 * health check counts as healthy 300 ms after it runs (ECS: 40 s).
 */
class ServiceSchedulerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EcsHarness ecs;
    private FakeAgents agents;

    @BeforeEach
    void setUp() {
        ecs = new EcsHarness(new InMemoryStateStore(),
                new RolloutSettings(Duration.ofMillis(300), Duration.ofMillis(500)));
        ecs.call("CreateCluster", "{\"clusterName\": \"c\"}");
        for (String zone : List.of("us-east-1a", "us-east-1b", "us-east-1c")) {
            ecs.registerInstance("c", 4096, 8192, zone);
        }
        agents = new FakeAgents(ecs, "c");
        register("web", "busybox:1");
    }

    @AfterEach
    void tearDown() {
        agents.close();
        ecs.api.close();
    }

    private String register(String family, String image) {
        return ecs.call("RegisterTaskDefinition", """
                {"family": "%s", "containerDefinitions": [{"name": "app", "image": "%s", "memory": 128}]}
                """.formatted(family, image)).at("/taskDefinition/taskDefinitionArn").asText();
    }

    private JsonNode service(String name) {
        return ecs.call("DescribeServices", "{\"cluster\": \"c\", \"services\": [\"" + name + "\"]}").at("/services/0");
    }

    private boolean stable(String name) {
        JsonNode s = service(name);
        return s.at("/deployments").size() == 1 && s.at("/runningCount").asInt() == s.at("/desiredCount").asInt()
                && s.at("/deployments/0/rolloutState").asText().equals("COMPLETED");
    }

    private List<String> events(String name) {
        List<String> out = new ArrayList<>();
        service(name).at("/events").forEach(e -> out.add(e.at("/message").asText()));
        return out;
    }

    private int runningTasks(String name) {
        return ecs.call("ListTasks", "{\"cluster\": \"c\", \"serviceName\": \"" + name + "\"}").at("/taskArns").size();
    }

    @Test
    void aServiceReachesItsDesiredCountAndSaysSo() {
        JsonNode created = ecs.call("CreateService", """
                {"cluster": "c", "serviceName": "api", "taskDefinition": "web", "desiredCount": 3}""").at("/service");
        assertThat(created.at("/status").asText()).isEqualTo("ACTIVE");
        assertThat(created.at("/deployments/0/id").asText()).matches("ecs-svc/[0-9]{19}");
        assertThat(created.at("/deployments/0/rolloutState").asText()).isEqualTo("IN_PROGRESS");
        await().atMost(WAIT).until(() -> stable("api"));
        JsonNode s = service("api");
        assertThat(s.at("/runningCount").asInt()).isEqualTo(3);
        assertThat(s.at("/deployments/0/rolloutStateReason").asText())
                .isEqualTo("ECS deployment " + s.at("/deployments/0/id").asText() + " completed.");
        await().atMost(WAIT).until(() -> events("api").getFirst().equals("(service api) has reached a steady state."));
        assertThat(events("api")).anySatisfy(e -> assertThat(e).matches("\\(service api\\) has started 3 tasks: "
                + "\\(task [0-9a-f]{32}\\) \\(task [0-9a-f]{32}\\) \\(task [0-9a-f]{32}\\)\\."));
        JsonNode task = ecs.call("DescribeTasks", "{\"cluster\": \"c\", \"tasks\": [\"" + ecs.call("ListTasks",
                "{\"cluster\": \"c\", \"serviceName\": \"api\"}").at("/taskArns/0").asText() + "\"]}").at("/tasks/0");
        assertThat(task.at("/group").asText()).isEqualTo("service:api");
        assertThat(task.at("/startedBy").asText()).isEqualTo(s.at("/deployments/0/id").asText());
        // Spread over the three zones by default.
        List<String> zones = new ArrayList<>();
        ecs.call("ListTasks", "{\"cluster\": \"c\", \"serviceName\": \"api\"}").at("/taskArns").forEach(arn ->
                zones.add(ecs.call("DescribeTasks", "{\"cluster\": \"c\", \"tasks\": [\"" + arn.asText() + "\"]}")
                        .at("/tasks/0/availabilityZone").asText()));
        assertThat(zones).containsExactlyInAnyOrder("us-east-1a", "us-east-1b", "us-east-1c");
    }

    @Test
    void scalingUpAndDownKeepsTheCount() {
        ecs.call("CreateService", "{\"cluster\": \"c\", \"serviceName\": \"api\", \"taskDefinition\": \"web\", \"desiredCount\": 0}");
        for (int n : new int[] {5, 2, 0}) {
            ecs.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"api\", \"desiredCount\": " + n + "}");
            await().atMost(WAIT).until(() -> stable("api") && runningTasks("api") == n);
            assertThat(service("api").at("/deployments")).hasSize(1);
        }
        assertThat(events("api")).anySatisfy(e -> assertThat(e).startsWith("(service api) has stopped 3 running tasks: "));
        List<String> reasons = new ArrayList<>();
        ecs.call("ListTasks", "{\"cluster\": \"c\", \"serviceName\": \"api\", \"desiredStatus\": \"STOPPED\"}")
                .at("/taskArns").forEach(arn -> reasons.add(ecs.call("DescribeTasks", "{\"cluster\": \"c\", \"tasks\": [\""
                        + arn.asText() + "\"]}").at("/tasks/0/stoppedReason").asText()));
        assertThat(reasons).hasSize(5).allSatisfy(r -> assertThat(r).startsWith("Scaling activity initiated by (deployment ecs-svc/"));
    }

    @Test
    void aStoppedTaskIsReplaced() {
        ecs.call("CreateService", "{\"cluster\": \"c\", \"serviceName\": \"api\", \"taskDefinition\": \"web\", \"desiredCount\": 2}");
        await().atMost(WAIT).until(() -> stable("api"));
        String victim = ecs.call("ListTasks", "{\"cluster\": \"c\", \"serviceName\": \"api\"}").at("/taskArns/0").asText();
        ecs.call("StopTask", "{\"cluster\": \"c\", \"task\": \"" + victim + "\"}");
        await().atMost(WAIT).until(() -> stable("api") && runningTasks("api") == 2
                && !ecs.call("ListTasks", "{\"cluster\": \"c\", \"serviceName\": \"api\"}").toString().contains(victim));
    }

    @Test
    void deleteNeedsForceWhileScaledUpAndEndsInactive() {
        ecs.call("CreateService", "{\"cluster\": \"c\", \"serviceName\": \"api\", \"taskDefinition\": \"web\", \"desiredCount\": 2}");
        ecs.fails("DeleteService", "{\"cluster\": \"c\", \"service\": \"api\"}", "InvalidParameterException");
        JsonNode deleted = ecs.call("DeleteService", "{\"cluster\": \"c\", \"service\": \"api\", \"force\": true}").at("/service");
        assertThat(deleted.at("/status").asText()).isEqualTo("DRAINING");
        assertThat(ecs.call("ListServices", "{\"cluster\": \"c\"}").at("/serviceArns")).isEmpty();
        await().atMost(WAIT).until(() -> service("api").at("/status").asText().equals("INACTIVE"));
        assertThat(runningTasks("api")).isZero();
        ecs.fails("UpdateService", "{\"cluster\": \"c\", \"service\": \"api\", \"desiredCount\": 1}", "ServiceNotActiveException");
        // The name is free again.
        ecs.call("CreateService", "{\"cluster\": \"c\", \"serviceName\": \"api\", \"taskDefinition\": \"web\", \"desiredCount\": 1}");
        await().atMost(WAIT).until(() -> stable("api"));
    }
}
