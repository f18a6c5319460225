package dev.stevedore.control.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AwsException;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The EXTERNAL deployment controller end to end in one process: task sets through the real API,
 * the service controller starting and stopping their tasks, and {@link FakeAgents} in place of
 * Docker reporting them (failures on the agents' thread fail the test when it ends).
 */
class TaskSetSchedulerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EcsHarness ecs;
    private FakeAgents agents;
    private String blueDefinition;
    private String greenDefinition;

    @BeforeEach
    void setUp() {
        ecs = new EcsHarness(new InMemoryStateStore(),
                new RolloutSettings(Duration.ofMillis(300), Duration.ofMillis(500)));
        ecs.call("CreateCluster", "{\"clusterName\": \"c\"}");
        for (String zone : List.of("us-east-1a", "us-east-1b", "us-east-1c")) {
            ecs.registerInstance("c", 4096, 8192, zone);
        }
        agents = new FakeAgents(ecs, "c");
        blueDefinition = register("web", "busybox:1");
        greenDefinition = register("web", "busybox:2");
        ecs.call("CreateService", """
                {"cluster": "c", "serviceName": "api", "desiredCount": 4,
                 "deploymentController": {"type": "EXTERNAL"}}""");
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

    private JsonNode createSet(String taskDefinition, String extra) {
        return ecs.call("CreateTaskSet", """
                {"cluster": "c", "service": "api", "taskDefinition": "%s"%s}""".formatted(taskDefinition, extra))
                .at("/taskSet");
    }

    private JsonNode service() {
        return ecs.call("DescribeServices", "{\"cluster\": \"c\", \"services\": [\"api\"]}").at("/services/0");
    }

    private JsonNode set(String id) {
        JsonNode r = ecs.call("DescribeTaskSets", "{\"cluster\": \"c\", \"service\": \"api\", \"taskSets\": [\"" + id + "\"]}");
        return r.at("/taskSets").isEmpty() ? r.at("/failures/0") : r.at("/taskSets/0");
    }

    private boolean settled(String id, int running) {
        JsonNode s = set(id);
        return s.at("/runningCount").asInt() == running && s.at("/pendingCount").asInt() == 0
                && s.at("/stabilityStatus").asText().equals("STEADY_STATE");
    }

    private List<String> tasksOf(String setId) {
        List<String> out = new ArrayList<>();
        ecs.call("ListTasks", "{\"cluster\": \"c\", \"startedBy\": \"" + setId + "\"}").at("/taskArns")
                .forEach(a -> out.add(a.asText()));
        return out;
    }

    private List<String> events() {
        List<String> out = new ArrayList<>();
        service().at("/events").forEach(e -> out.add(e.at("/message").asText()));
        return out;
    }

    private void failsWith(String operation, String json, String code, String message) {
        assertThatThrownBy(() -> ecs.call(operation, json)).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void blueGreenThroughTaskSets() {
        JsonNode created = service();
        assertThat(created.at("/taskSets")).isEmpty();
        assertThat(created.at("/deployments")).isEmpty();

        JsonNode blue = createSet("web:1", ", \"externalId\": \"blue\", \"scale\": {\"value\": 100, \"unit\": \"PERCENT\"}");
        String blueId = blue.at("/id").asText();
        assertThat(blueId).matches("ecs-svc/[0-9]{19}");
        assertThat(blue.at("/taskSetArn").asText()).isEqualTo(EcsHarness.arn("task-set/c/api/" + blueId));
        assertThat(blue.at("/status").asText()).isEqualTo("ACTIVE");
        assertThat(blue.at("/stabilityStatus").asText()).isEqualTo("STABILIZING");
        assertThat(blue.at("/computedDesiredCount").asInt()).isEqualTo(4);
        assertThat(blue.at("/launchType").asText()).isEqualTo("EC2");
        assertThat(blue.at("/externalId").asText()).isEqualTo("blue");
        assertThat(blue.at("/taskDefinition").asText()).isEqualTo(blueDefinition);
        assertThat(blue.at("/scale/value").asDouble()).isEqualTo(100.0);
        assertThat(blue.at("/scale/unit").asText()).isEqualTo("PERCENT");
        assertThat(blue.has("startedBy")).isFalse();

        JsonNode green = createSet("web:2", "");
        String greenId = green.at("/id").asText();
        assertThat(green.at("/scale/value").asDouble()).isZero();
        assertThat(green.at("/computedDesiredCount").asInt()).isZero();

        await().atMost(WAIT).until(() -> settled(blueId, 4) && settled(greenId, 0));
        assertThat(tasksOf(blueId)).hasSize(4);
        JsonNode task = ecs.call("DescribeTasks", "{\"cluster\": \"c\", \"tasks\": [\"" + tasksOf(blueId).getFirst()
                + "\"]}").at("/tasks/0");
        assertThat(task.at("/group").asText()).isEqualTo("service:api");
        assertThat(task.at("/taskDefinitionArn").asText()).isEqualTo(blueDefinition);
        assertThat(service().at("/runningCount").asInt()).isEqualTo(4);
        await().atMost(WAIT).until(() -> events().getFirst().equals("(service api) has reached a steady state."));
        assertThat(events()).anySatisfy(e -> assertThat(e).matches(
                "\\(service api\\) has started 4 tasks:( \\(task [0-9a-f]{32}\\)){4}\\."));

        JsonNode primary = ecs.call("UpdateServicePrimaryTaskSet", """
                {"cluster": "c", "service": "api", "primaryTaskSet": "%s"}""".formatted(blue.at("/taskSetArn").asText()))
                .at("/taskSet");
        assertThat(primary.at("/status").asText()).isEqualTo("PRIMARY");
        assertThat(service().at("/taskDefinition").asText()).isEqualTo(blueDefinition);
        assertThat(service().at("/launchType").asText()).isEqualTo("EC2");

        // Shift: green up to 100 %, then blue down to 0.
        JsonNode greenUp = ecs.call("UpdateTaskSet", """
                {"cluster": "c", "service": "api", "taskSet": "%s", "scale": {"value": 100, "unit": "PERCENT"}}"""
                .formatted(greenId)).at("/taskSet");
        assertThat(greenUp.at("/stabilityStatus").asText()).isEqualTo("STABILIZING");
        assertThat(greenUp.at("/computedDesiredCount").asInt()).isEqualTo(4);
        assertThat(greenUp.at("/status").asText()).isEqualTo("ACTIVE");
        await().atMost(WAIT).until(() -> settled(greenId, 4));
        assertThat(service().at("/runningCount").asInt()).isEqualTo(8);

        ecs.call("UpdateTaskSet", """
                {"cluster": "c", "service": "api", "taskSet": "%s", "scale": {"value": 0, "unit": "PERCENT"}}"""
                .formatted(blueId));
        await().atMost(WAIT).until(() -> settled(blueId, 0) && tasksOf(blueId).isEmpty());
        assertThat(events()).anySatisfy(e -> assertThat(e).matches(
                "\\(service api\\) has stopped 4 running tasks:( \\(task [0-9a-f]{32}\\)){4}\\."));
        List<String> reasons = new ArrayList<>();
        ecs.call("ListTasks", "{\"cluster\": \"c\", \"startedBy\": \"" + blueId + "\", \"desiredStatus\": \"STOPPED\"}")
                .at("/taskArns").forEach(arn -> reasons.add(ecs.call("DescribeTasks", "{\"cluster\": \"c\", \"tasks\": [\""
                        + arn.asText() + "\"]}").at("/tasks/0/stoppedReason").asText()));
        assertThat(reasons).hasSize(4).containsOnly("Scaling activity initiated by (deployment " + blueId + ")");

        ecs.call("UpdateServicePrimaryTaskSet", """
                {"cluster": "c", "service": "api", "primaryTaskSet": "%s"}""".formatted(greenId));
        JsonNode switched = service();
        assertThat(switched.at("/taskDefinition").asText()).isEqualTo(greenDefinition);
        assertThat(set(greenId).at("/status").asText()).isEqualTo("PRIMARY");
        assertThat(set(blueId).at("/status").asText()).isEqualTo("ACTIVE");

        JsonNode deleted = ecs.call("DeleteTaskSet", """
                {"cluster": "c", "service": "api", "taskSet": "%s"}""".formatted(blueId)).at("/taskSet");
        assertThat(deleted.at("/status").asText()).isEqualTo("DRAINING");
        assertThat(deleted.at("/computedDesiredCount").asInt()).isZero();
        await().atMost(WAIT).until(() -> service().at("/taskSets").size() == 1);
        JsonNode missing = set(blueId);
        assertThat(missing.at("/reason").asText()).isEqualTo("MISSING");
        assertThat(missing.at("/arn").asText()).isEqualTo(EcsHarness.arn("task-set/c/api/" + blueId));
        JsonNode end = service();
        assertThat(end.at("/taskSets/0/id").asText()).isEqualTo(greenId);
        assertThat(end.at("/runningCount").asInt()).isEqualTo(4);
        assertThat(end.at("/deployments")).isEmpty();
        assertThat(tasksOf(greenId)).hasSize(4);
    }

    @Test
    void theDesiredCountOfTheServiceScalesEverySet() {
        String a = createSet("web:1", ", \"scale\": {\"value\": 50, \"unit\": \"PERCENT\"}").at("/id").asText();
        String b = createSet("web:2", ", \"scale\": {\"value\": 25, \"unit\": \"PERCENT\"}").at("/id").asText();
        await().atMost(WAIT).until(() -> settled(a, 2) && settled(b, 1));
        ecs.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"api\", \"desiredCount\": 7}");
        // ceil(7 × 0.5) = 4, ceil(7 × 0.25) = 2
        await().atMost(WAIT).until(() -> settled(a, 4) && settled(b, 2));
        assertThat(set(a).at("/computedDesiredCount").asInt()).isEqualTo(4);
        assertThat(service().at("/runningCount").asInt()).isEqualTo(6);
        ecs.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"api\", \"desiredCount\": 0}");
        await().atMost(WAIT).until(() -> settled(a, 0) && settled(b, 0) && tasksOf(a).isEmpty() && tasksOf(b).isEmpty());
    }

    @Test
    void taskSetCallsAreRefusedWithEcsErrors() {
        ecs.call("CreateService", "{\"cluster\": \"c\", \"serviceName\": \"rolling\", \"taskDefinition\": \"web\", \"desiredCount\": 0}");
        failsWith("CreateTaskSet", "{\"cluster\": \"c\", \"service\": \"rolling\", \"taskDefinition\": \"web\"}",
                "InvalidParameterException", "Amazon ECS only supports task set management on services configured to "
                        + "use external deployment controllers.");
        failsWith("DescribeTaskSets", "{\"cluster\": \"c\", \"service\": \"rolling\"}",
                "InvalidParameterException", "Amazon ECS only supports task set management on services configured to "
                        + "use external deployment controllers.");
        failsWith("CreateTaskSet", "{\"cluster\": \"c\", \"service\": \"nope\", \"taskDefinition\": \"web\"}",
                "ServiceNotFoundException", "Service not found.");
        failsWith("CreateTaskSet", "{\"cluster\": \"c\", \"service\": \"api\", \"taskDefinition\": \"web\", "
                + "\"launchType\": \"FARGATE\"}", "UnsupportedFeatureException",
                "Stevedore runs services with the EC2 launch type only so far; FARGATE is not supported yet.");
        ecs.fails("CreateTaskSet", "{\"cluster\": \"c\", \"service\": \"api\", \"taskDefinition\": \"web\", "
                + "\"loadBalancers\": [{\"targetGroupArn\": \"arn:aws:elasticloadbalancing:us-east-1:123456789012:"
                + "targetgroup/t/1\", \"containerName\": \"app\", \"containerPort\": 80}]}", "UnsupportedFeatureException");
        failsWith("CreateTaskSet", "{\"cluster\": \"c\", \"service\": \"api\", \"taskDefinition\": \"web\", "
                + "\"scale\": {\"value\": 150, \"unit\": \"PERCENT\"}}", "InvalidParameterException",
                "Scale value must be between 0 and 100.");
        ecs.fails("CreateTaskSet", "{\"cluster\": \"c\", \"service\": \"api\", \"taskDefinition\": \"nope\"}",
                "ClientException");

        failsWith("UpdateTaskSet", "{\"cluster\": \"c\", \"service\": \"api\", \"taskSet\": \"ecs-svc/1234567890123456789\", "
                + "\"scale\": {\"value\": 50, \"unit\": \"PERCENT\"}}", "TaskSetNotFoundException",
                "The specified task set does not exist.");
        failsWith("UpdateServicePrimaryTaskSet", "{\"cluster\": \"c\", \"service\": \"api\", "
                + "\"primaryTaskSet\": \"ecs-svc/1234567890123456789\"}", "TaskSetNotFoundException",
                "The specified task set does not exist.");
        failsWith("DeleteTaskSet", "{\"cluster\": \"c\", \"service\": \"api\", \"taskSet\": \"ecs-svc/1\"}",
                "TaskSetNotFoundException", "The specified task set does not exist.");
        String taskArn = EcsHarness.arn("task/c/0123456789abcdef0123456789abcdef");
        failsWith("DescribeTaskSets", "{\"cluster\": \"c\", \"service\": \"api\", \"taskSets\": [\"" + taskArn + "\"]}",
                "InvalidParameterException", "Task Set Identifier is invalid");
        JsonNode unknown = ecs.call("DescribeTaskSets",
                "{\"cluster\": \"c\", \"service\": \"api\", \"taskSets\": [\"ecs-svc/42\"]}");
        assertThat(unknown.at("/taskSets")).isEmpty();
        assertThat(unknown.at("/failures/0/reason").asText()).isEqualTo("MISSING");
        assertThat(unknown.at("/failures/0/arn").asText()).isEqualTo(EcsHarness.arn("task-set/c/api/ecs-svc/42"));
    }

    @Test
    void aServiceHoldsAtMostFiveTaskSets() {
        for (int i = 0; i < 5; i++) {
            createSet("web:1", "");
        }
        failsWith("CreateTaskSet", "{\"cluster\": \"c\", \"service\": \"api\", \"taskDefinition\": \"web:1\"}",
                "InvalidParameterException", "5 deployments exist on the service. Unable to create new TaskSet since "
                        + "this exceeds the maximum limit.");
        assertThat(ecs.call("DescribeTaskSets", "{\"cluster\": \"c\", \"service\": \"api\"}").at("/taskSets")).hasSize(5);
    }

    @Test
    void thePrimarySetAndASetScaledAboveZeroNeedForceToBeDeleted() {
        JsonNode primary = createSet("web:1", ", \"scale\": {\"value\": 50, \"unit\": \"PERCENT\"}");
        String primaryId = primary.at("/id").asText();
        String scaled = createSet("web:2", ", \"scale\": {\"value\": 50, \"unit\": \"PERCENT\"}").at("/id").asText();
        ecs.call("UpdateServicePrimaryTaskSet", "{\"cluster\": \"c\", \"service\": \"api\", \"primaryTaskSet\": \""
                + primaryId + "\"}");
        failsWith("DeleteTaskSet", "{\"cluster\": \"c\", \"service\": \"api\", \"taskSet\": \"" + primaryId + "\"}",
                "InvalidParameterException", "The task set cannot be deleted while it is the primary task set of the "
                        + "service.");
        failsWith("DeleteTaskSet", "{\"cluster\": \"c\", \"service\": \"api\", \"taskSet\": \"" + scaled + "\"}",
                "InvalidParameterException", "The task set cannot be deleted while it is scaled above 0.");
        await().atMost(WAIT).until(() -> settled(primaryId, 2) && settled(scaled, 2));

        // From here on no task finishes stopping, so the deleted set stays DRAINING.
        agents.close();
        JsonNode forced = ecs.call("DeleteTaskSet", "{\"cluster\": \"c\", \"service\": \"api\", \"taskSet\": \""
                + primary.at("/taskSetArn").asText() + "\", \"force\": true}").at("/taskSet");
        assertThat(forced.at("/status").asText()).isEqualTo("DRAINING");
        assertThat(forced.at("/computedDesiredCount").asInt()).isZero();
        assertThat(forced.at("/stabilityStatus").asText()).isEqualTo("STABILIZING");
        // Without a primary set the service describes no task set's task definition.
        assertThat(service().has("taskDefinition")).isFalse();
        failsWith("UpdateTaskSet", "{\"cluster\": \"c\", \"service\": \"api\", \"taskSet\": \"" + primaryId
                + "\", \"scale\": {\"value\": 10, \"unit\": \"PERCENT\"}}", "InvalidParameterException",
                "The task set is being deleted and cannot be updated.");
        failsWith("UpdateServicePrimaryTaskSet", "{\"cluster\": \"c\", \"service\": \"api\", \"primaryTaskSet\": \""
                + primaryId + "\"}", "InvalidParameterException",
                "The task set is being deleted and cannot become the primary task set.");
        assertThat(ecs.call("DeleteTaskSet", "{\"cluster\": \"c\", \"service\": \"api\", \"taskSet\": \""
                + primaryId + "\"}").at("/taskSet/status").asText()).isEqualTo("DRAINING");
        // Its tasks are told to stop; the set stays until they have.
        await().atMost(WAIT).until(() -> tasksOf(primaryId).isEmpty() && set(primaryId).at("/runningCount").asInt() == 0);
        assertThat(set(primaryId).at("/status").asText()).isEqualTo("DRAINING");
        assertThat(tasksOf(scaled)).hasSize(2);
    }

    @Test
    void aTaskSetIsTaggedLikeAnyResourceAndItsTagsGoWithIt() {
        JsonNode set = createSet("web:1", ", \"tags\": [{\"key\": \"color\", \"value\": \"blue\"}]");
        String arn = set.at("/taskSetArn").asText();
        assertThat(set.at("/tags/0/key").asText()).isEqualTo("color");
        ecs.call("TagResource", "{\"resourceArn\": \"" + arn + "\", \"tags\": [{\"key\": \"team\", \"value\": \"web\"}]}");
        JsonNode listed = ecs.call("ListTagsForResource", "{\"resourceArn\": \"" + arn + "\"}").at("/tags");
        assertThat(listed.toString()).isEqualTo("[{\"key\":\"color\",\"value\":\"blue\"},{\"key\":\"team\",\"value\":\"web\"}]");
        ecs.call("UntagResource", "{\"resourceArn\": \"" + arn + "\", \"tagKeys\": [\"color\"]}");
        JsonNode described = ecs.call("DescribeTaskSets", "{\"cluster\": \"c\", \"service\": \"api\", "
                + "\"include\": [\"TAGS\"]}").at("/taskSets/0");
        assertThat(described.at("/tags").toString()).isEqualTo("[{\"key\":\"team\",\"value\":\"web\"}]");
        assertThat(ecs.call("DescribeTaskSets", "{\"cluster\": \"c\", \"service\": \"api\"}").at("/taskSets/0")
                .has("tags")).isFalse();
        ecs.fails("ListTagsForResource", "{\"resourceArn\": \"" + arn.replace(set.at("/id").asText(),
                "ecs-svc/1") + "\"}", "ResourceNotFoundException");

        ecs.call("DeleteTaskSet", "{\"cluster\": \"c\", \"service\": \"api\", \"taskSet\": \"" + arn + "\"}");
        await().atMost(WAIT).until(() -> service().at("/taskSets").isEmpty());
        ecs.fails("ListTagsForResource", "{\"resourceArn\": \"" + arn + "\"}", "ResourceNotFoundException");
        assertThat(ecs.store.get("/ecs/" + EcsHarness.ACCOUNT + "/" + EcsHarness.REGION + "/tags/" + arn)).isEmpty();
    }

    @Test
    void aRepeatedClientTokenGivesTheSameTaskSet() {
        String request = "{\"cluster\": \"c\", \"service\": \"api\", \"taskDefinition\": \"web:1\", \"clientToken\": \"t-1\"}";
        String first = ecs.call("CreateTaskSet", request).at("/taskSet/id").asText();
        String again = ecs.call("CreateTaskSet", request).at("/taskSet/id").asText();
        assertThat(again).isEqualTo(first);
        assertThat(service().at("/taskSets")).hasSize(1);
        failsWith("CreateTaskSet", request.replace("web:1", "web:2"), "InvalidParameterException",
                "The clientToken was already used to create another task set.");
    }

    @Test
    void deletingTheServiceDrainsItsTaskSets() {
        String id = createSet("web:1", ", \"scale\": {\"value\": 100, \"unit\": \"PERCENT\"}").at("/id").asText();
        await().atMost(WAIT).until(() -> settled(id, 4));
        ecs.call("DeleteService", "{\"cluster\": \"c\", \"service\": \"api\", \"force\": true}");
        await().atMost(WAIT).until(() -> service().at("/status").asText().equals("INACTIVE"));
        assertThat(service().at("/taskSets")).isEmpty();
        assertThat(tasksOf(id)).isEmpty();
    }
}
