package dev.stevedore.control.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ecs.fargate.VpcFixture;
import dev.stevedore.control.elb.TargetRef;
import dev.stevedore.store.InMemoryStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * BLUE_GREEN and CANARY deployments with the real API, service scheduler and agents, over target groups and listener
 * rules kept in the store ({@link InMemoryTargets}) whose target health the tests decide: green comes up behind the
 * alternate group while blue serves, traffic moves by rewriting the rules' weights, blue leaves only after, the
 * groups swap roles, and a stopped deployment puts production back on blue in one write.
 */
class TrafficShiftingServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private InMemoryStateStore store;
    private InMemoryTargets targets;
    private ServiceFixture f;
    private String blue;
    private String green;
    private String production;
    private String test;

    @BeforeEach
    void setUp() {
        store = new InMemoryStateStore();
        targets = new InMemoryTargets(store);
        f = new ServiceFixture(store, targets);
        VpcFixture.subnet(store, "subnet-a", "vpc-1", "us-east-1a", "10.0.0.0/24");
        VpcFixture.securityGroup(store, "sg-default", "vpc-1", "default");
        f.ecs.registerInstance("c", 4096, 8192, "us-east-1a", "m5.xlarge", VpcFixture.AWSVPC_CAPABLE);
        f.ecs.registerInstance("c", 4096, 8192, "us-east-1a", "m5.xlarge", VpcFixture.AWSVPC_CAPABLE);
        register("busybox:1");
        blue = targets.group("blue-tg", "ip");
        green = targets.group("green-tg", "ip");
        production = targets.rule("production", Map.of(blue, 1));
        test = targets.rule("test", Map.of(blue, 1));
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void blueGreenStartsGreenBehindTheAlternateGroupThenMovesAllTrafficAtOnceAndSwapsTheGroups() {
        create("{\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 0}");
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(blue).size() == 2);
        assertThat(targets.weights(production)).isEqualTo(Map.of(blue, 999, green, 0));
        assertThat(targets.weights(test)).isEqualTo(Map.of(blue, 999, green, 0));
        targets.registered(blue).forEach(t -> targets.verdict(t, "healthy"));
        java.util.List<Map<String, Integer>> productionChanges = targets.followWeights(production);

        // Green's targets are not healthy yet: it runs beside blue, and no traffic moves.
        targets.defaultVerdict("initial");
        register("busybox:2");
        f.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"web\", \"taskDefinition\": \"web:2\"}");
        await().atMost(WAIT).until(() -> targets.registered(green).size() == 2);
        assertThat(f.tasks("web")).hasSize(4);
        assertThat(targets.registered(blue)).hasSize(2);
        assertThat(targets.weights(production)).isEqualTo(Map.of(blue, 999, green, 0));
        assertThat(targets.weights(test)).isEqualTo(Map.of(blue, 999, green, 0));

        // Healthy: test and production traffic go to green, then blue is drained and stopped.
        targets.defaultVerdict("healthy");
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(blue).isEmpty());
        assertThat(targets.weights(production)).isEqualTo(Map.of(blue, 0, green, 999));
        assertThat(targets.weights(test)).isEqualTo(Map.of(blue, 0, green, 999));
        assertThat(f.tasks("web")).hasSize(2);
        // One change moved all of it: the data plane never saw anything in between.
        assertThat(productionChanges).containsExactly(Map.of(blue, 0, green, 999));
        assertThat(f.events("web")).contains("(service web) shifted 100% of production traffic to deployment "
                + f.service("web").at("/deployments/0/id").asText() + ".");

        // The next deployment comes up in the group blue left, now the alternate one.
        register("busybox:3");
        f.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"web\", \"taskDefinition\": \"web:3\"}");
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(green).isEmpty()
                && targets.registered(blue).size() == 2);
        assertThat(targets.weights(production)).isEqualTo(Map.of(blue, 999, green, 0));
    }

    @Test
    void stoppingACanaryDeploymentPutsProductionTrafficBackOnBlueAndRemovesGreen() {
        create("{\"strategy\": \"CANARY\", \"bakeTimeInMinutes\": 0, \"canaryConfiguration\": "
                + "{\"canaryPercent\": 10.0, \"canaryBakeTimeInMinutes\": 30}}");
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(blue).size() == 2);
        java.util.List<TargetRef> blueTargets = targets.registered(blue);

        register("busybox:2");
        f.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"web\", \"taskDefinition\": \"web:2\"}");
        await().atMost(WAIT).until(() -> targets.weights(production).equals(Map.of(blue, 899, green, 100)));
        assertThat(targets.registered(blue)).containsExactlyInAnyOrderElementsOf(blueTargets);
        assertThat(targets.weights(test)).isEqualTo(Map.of(blue, 0, green, 999));

        String deployment = f.call("ListServiceDeployments", "{\"cluster\": \"c\", \"service\": \"web\", "
                + "\"status\": [\"IN_PROGRESS\"]}").at("/serviceDeployments/0/serviceDeploymentArn").asText();
        assertThat(f.call("DescribeServiceDeployments", "{\"serviceDeploymentArns\": [\"" + deployment + "\"]}")
                .at("/serviceDeployments/0/lifecycleStage").asText()).isEqualTo("PRODUCTION_TRAFFIC_SHIFT");
        f.call("StopServiceDeployment", "{\"serviceDeploymentArn\": \"" + deployment + "\", \"stopType\": \"ROLLBACK\"}");
        await().atMost(WAIT).until(() -> targets.weights(production).equals(Map.of(blue, 999, green, 0)));
        assertThat(targets.weights(test)).isEqualTo(Map.of(blue, 999, green, 0));
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(green).isEmpty());
        assertThat(targets.registered(blue)).containsExactlyInAnyOrderElementsOf(blueTargets);
        assertThat(f.events("web")).anyMatch(e -> e.startsWith("(service web) moved production traffic back from "
                + "deployment "));
    }

    @Test
    void aGreenThatNeverStartsTripsTheCircuitBreakerAndBlueKeepsServingUntouched() {
        create("{\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 0, \"deploymentCircuitBreaker\": "
                + "{\"enable\": true, \"rollback\": true}}");
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(blue).size() == 2);
        java.util.List<String> blueTasks = f.tasks("web");
        java.util.List<TargetRef> blueTargets = targets.registered(blue);
        java.util.List<Map<String, Integer>> productionChanges = targets.followWeights(production);

        f.agents.behave("broken", FakeAgents.Behaviour.FAIL_TO_START);
        register("broken", "busybox:broken");
        f.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"web\", \"taskDefinition\": \"broken\"}");
        await().atMost(WAIT).until(() -> f.events("web").stream().anyMatch(e -> e.contains("rolling back")));
        await().atMost(WAIT).until(() -> f.stable("web"));

        assertThat(f.tasks("web")).containsExactlyInAnyOrderElementsOf(blueTasks);
        assertThat(targets.registered(blue)).containsExactlyInAnyOrderElementsOf(blueTargets);
        assertThat(targets.registered(green)).isEmpty();
        assertThat(productionChanges).isEmpty();
        assertThat(targets.weights(production)).isEqualTo(Map.of(blue, 999, green, 0));
    }

    @Test
    void aPauseHookHoldsProductionTrafficOnBlueUntilContinueServiceDeploymentMovesIt() {
        create("{\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 0, \"lifecycleHooks\": [{\"targetType\": "
                + "\"PAUSE\", \"lifecycleStages\": [\"POST_TEST_TRAFFIC_SHIFT\"], \"timeoutConfiguration\": "
                + "{\"timeoutInMinutes\": 60, \"action\": \"ROLLBACK\"}}]}");
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(blue).size() == 2);
        assertThat(f.service("web").at("/deploymentConfiguration/lifecycleHooks/0/targetType").asText()).isEqualTo("PAUSE");
        targets.defaultVerdict("healthy");

        String deployment = deployUntilPaused();
        JsonNode paused = describe(deployment);
        String hookId = paused.at("/lifecycleHookDetails/0/hookId").asText();
        assertThat(hookId).matches("ecs-pause-[A-Za-z0-9_-]{43}");
        assertThat(paused.at("/lifecycleHookDetails/0/targetType").asText()).isEqualTo("PAUSE");
        assertThat(paused.at("/lifecycleHookDetails/0/timeoutAction").asText()).isEqualTo("ROLLBACK");
        assertThat(paused.at("/lifecycleHookDetails/0/expiresAt").isMissingNode()).isFalse();
        assertThat(paused.at("/lifecycleStage").asText()).isEqualTo("POST_TEST_TRAFFIC_SHIFT");
        // Held: test traffic reaches green, production stays on blue, blue is not stopped.
        assertThat(targets.weights(test)).isEqualTo(Map.of(blue, 0, green, 999));
        assertThat(targets.weights(production)).isEqualTo(Map.of(blue, 999, green, 0));
        assertThat(targets.registered(blue)).hasSize(2);

        long before = store.currentRevision();
        f.ecs.fails("ContinueServiceDeployment", "{\"serviceDeploymentArn\": \"" + deployment
                + "\", \"hookId\": \"ecs-pause-nosuchhook\"}", "InvalidParameterException");
        assertThat(store.currentRevision()).isEqualTo(before);

        f.call("ContinueServiceDeployment", "{\"serviceDeploymentArn\": \"" + deployment + "\", \"hookId\": \""
                + hookId + "\", \"action\": \"CONTINUE\"}");
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(blue).isEmpty());
        assertThat(targets.weights(production)).isEqualTo(Map.of(blue, 0, green, 999));
        assertThat(describe(deployment).at("/lifecycleHookDetails/0/status").asText()).isEqualTo("SUCCEEDED");
        // Answered once: a second answer finds no hook waiting.
        f.ecs.fails("ContinueServiceDeployment", "{\"serviceDeploymentArn\": \"" + deployment + "\", \"hookId\": \""
                + hookId + "\"}", "ClientException");
    }

    @Test
    void aPauseBeforeScaleUpAnsweredRollbackNeverStartsGreen() {
        create("{\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 0, \"lifecycleHooks\": [{\"targetType\": "
                + "\"PAUSE\", \"lifecycleStages\": [\"PRE_SCALE_UP\"]}]}");
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(blue).size() == 2);
        java.util.List<String> blueTasks = f.tasks("web");
        targets.defaultVerdict("healthy");

        String deployment = deployUntilPaused();
        JsonNode paused = describe(deployment);
        assertThat(paused.at("/lifecycleStage").asText()).isEqualTo("PRE_SCALE_UP");
        // ECS's defaults for a hook without a timeoutConfiguration: a day, then ROLLBACK.
        assertThat(paused.at("/lifecycleHookDetails/0/timeoutAction").asText()).isEqualTo("ROLLBACK");
        assertThat(f.tasks("web")).containsExactlyInAnyOrderElementsOf(blueTasks);

        f.call("ContinueServiceDeployment", "{\"serviceDeploymentArn\": \"" + deployment + "\", \"hookId\": \""
                + paused.at("/lifecycleHookDetails/0/hookId").asText() + "\", \"action\": \"ROLLBACK\"}");
        await().atMost(WAIT).until(() -> f.stable("web") && describe(deployment).at("/status").asText()
                .startsWith("ROLLBACK_"));
        assertThat(describe(deployment).at("/lifecycleHookDetails/0/status").asText()).isEqualTo("FAILED");
        assertThat(f.tasks("web")).containsExactlyInAnyOrderElementsOf(blueTasks);
        assertThat(targets.registered(green)).isEmpty();
        assertThat(targets.weights(production)).isEqualTo(Map.of(blue, 999, green, 0));
    }

    @Test
    void aDeploymentSupersededWhilePausedEndsWithItsHookFailed() {
        create("{\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 0, \"lifecycleHooks\": [{\"targetType\": "
                + "\"PAUSE\", \"lifecycleStages\": [\"PRE_SCALE_UP\"]}]}");
        await().atMost(WAIT).until(() -> f.stable("web") && targets.registered(blue).size() == 2);
        targets.defaultVerdict("healthy");
        String paused = deployUntilPaused();
        String hookId = describe(paused).at("/lifecycleHookDetails/0/hookId").asText();

        register("busybox:3");
        f.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"web\", \"taskDefinition\": \"web:3\"}");
        JsonNode superseded = describe(paused);
        assertThat(superseded.at("/status").asText()).isEqualTo("STOPPED");
        // Nothing can answer the hook of a stopped deployment, so it no longer reads as waiting for an answer.
        assertThat(superseded.at("/lifecycleHookDetails/0/status").asText()).isEqualTo("FAILED");
        f.ecs.fails("ContinueServiceDeployment", "{\"serviceDeploymentArn\": \"" + paused + "\", \"hookId\": \""
                + hookId + "\"}", "ClientException");
    }

    /** Deploys web:2 and waits until its deployment waits at a hook; its service deployment ARN. */
    private String deployUntilPaused() {
        register("busybox:2");
        f.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"web\", \"taskDefinition\": \"web:2\"}");
        String deployment = inProgressDeployment();
        await().atMost(WAIT).until(() -> "AWAITING_ACTION".equals(describe(deployment)
                .at("/lifecycleHookDetails/0/status").asText()));
        return deployment;
    }

    private String inProgressDeployment() {
        await().atMost(WAIT).until(() -> f.call("ListServiceDeployments", "{\"cluster\": \"c\", \"service\": "
                + "\"web\", \"status\": [\"IN_PROGRESS\"]}").path("serviceDeployments").size() == 1);
        return f.call("ListServiceDeployments", "{\"cluster\": \"c\", \"service\": \"web\", \"status\": "
                + "[\"IN_PROGRESS\"]}").at("/serviceDeployments/0/serviceDeploymentArn").asText();
    }

    private JsonNode describe(String deployment) {
        return f.call("DescribeServiceDeployments", "{\"serviceDeploymentArns\": [\"" + deployment + "\"]}")
                .at("/serviceDeployments/0");
    }

    private void register(String image) {
        register("web", image);
    }

    private void register(String family, String image) {
        f.call("RegisterTaskDefinition", """
                {"family": "%s", "networkMode": "awsvpc", "requiresCompatibilities": ["EC2"],
                 "containerDefinitions": [{"name": "app", "image": "%s", "memory": 64, "essential": true,
                   "portMappings": [{"containerPort": 80}]}]}""".formatted(family, image));
    }

    private JsonNode create(String deploymentConfiguration) {
        return f.call("CreateService", """
                {"cluster": "c", "serviceName": "web", "taskDefinition": "web", "desiredCount": 2,
                 "deploymentConfiguration": %s,
                 "loadBalancers": [{"targetGroupArn": "%s", "containerName": "app", "containerPort": 80,
                   "advancedConfiguration": {"alternateTargetGroupArn": "%s", "productionListenerRule": "%s",
                     "testListenerRule": "%s"}}],
                 "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a"]}}}"""
                .formatted(deploymentConfiguration, blue, green, production, test));
    }
}
