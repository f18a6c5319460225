package dev.stevedore.control.ecs.service;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.control.ecs.ControllerSettings;
import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.task.TaskRoleTrust;
import dev.stevedore.store.InMemoryStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What CreateService and UpdateService check of a traffic-shifting deployment configuration and of the load
 * balancers' {@code advancedConfiguration}; a refused call writes nothing.
 */
class TrafficShiftValidationTest {
    private InMemoryStateStore store;
    private InMemoryTargets targets;
    private EcsHarness ecs;
    private String blue;
    private String green;
    private String production;

    @BeforeEach
    void setUp() {
        store = new InMemoryStateStore();
        targets = new InMemoryTargets(store);
        ecs = new EcsHarness(store, ControllerSettings.defaults(), TaskRoleTrust.ANY, targets);
        ecs.call("CreateCluster", "{\"clusterName\": \"c\"}");
        ecs.call("RegisterTaskDefinition", """
                {"family": "web", "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 64,
                  "portMappings": [{"containerPort": 80, "hostPort": 0}]}]}""");
        blue = targets.group("blue-tg", "instance");
        green = targets.group("green-tg", "instance");
        production = targets.rule("production", Map.of(blue, 1));
    }

    @AfterEach
    void tearDown() {
        ecs.api.close();
    }

    @Test
    void aTrafficShiftingStrategyNeedsAnAdvancedConfigurationOnEachLoadBalancer() {
        refused("{\"strategy\": \"BLUE_GREEN\"}", plain(blue), "advancedConfiguration must be specified for each "
                + "load balancer of a service that uses the BLUE_GREEN deployment strategy.");
        long before = store.currentRevision();
        AwsException e = ecs.fails("CreateService", create("{\"strategy\": \"LINEAR\"}", ""),
                "UnsupportedFeatureException");
        assertThat(e.getMessage()).contains("Elastic Load Balancing only");
        assertThat(store.currentRevision()).isEqualTo(before);
    }

    @Test
    void aRollingServiceCannotNameAnAdvancedConfiguration() {
        refused("{\"strategy\": \"ROLLING\"}", advanced(green, production, null), "advancedConfiguration can only "
                + "be specified for a load balancer of a service that uses the BLUE_GREEN, LINEAR or CANARY "
                + "deployment strategy.");
    }

    @Test
    void theAlternateGroupMustExistAndDifferAndTheRulesMustForwardToThePair() {
        refused("{\"strategy\": \"BLUE_GREEN\"}", advanced(blue, production, null), "The alternateTargetGroupArn must "
                + "be different from the targetGroupArn " + blue + ".");
        String nope = blue.replace("blue-tg", "nope");
        refused("{\"strategy\": \"BLUE_GREEN\"}", advanced(nope, production, null), "The target group " + nope
                + " specified as alternateTargetGroupArn does not exist.");
        String ip = targets.group("ip-tg", "ip");
        refused("{\"strategy\": \"BLUE_GREEN\"}", advanced(ip, production, null), "The alternate target group " + ip
                + " has target type ip, which differs from target type instance of target group " + blue + ".");
        String missing = production.replace("production", "missing");
        refused("{\"strategy\": \"BLUE_GREEN\"}", advanced(green, missing, null), "The listener rule " + missing
                + " specified as productionListenerRule does not exist.");
        String elsewhere = targets.rule("elsewhere", Map.of(targets.group("other-tg", "instance"), 1));
        refused("{\"strategy\": \"BLUE_GREEN\"}", advanced(green, elsewhere, null), "The listener rule " + elsewhere
                + " specified as productionListenerRule must forward to the target group " + blue
                + " or the alternate target group " + green + " only.");
        refused("{\"strategy\": \"BLUE_GREEN\"}", advanced(green, production, production), "The testListenerRule must "
                + "be different from the productionListenerRule.");
    }

    @Test
    void linearAndCanarySettingsHaveEcsRangesAndBelongToTheirStrategy() {
        String lb = advanced(green, production, null);
        refused("{\"strategy\": \"LINEAR\", \"linearConfiguration\": {\"stepPercent\": 2.0}}", lb,
                "stepPercent must be a multiple of 0.1 between 3.0 and 100.0.");
        refused("{\"strategy\": \"LINEAR\", \"linearConfiguration\": {\"stepPercent\": 10.05}}", lb,
                "stepPercent must be a multiple of 0.1 between 3.0 and 100.0.");
        refused("{\"strategy\": \"LINEAR\", \"linearConfiguration\": {\"stepBakeTimeInMinutes\": 1441}}", lb,
                "stepBakeTimeInMinutes must be between 0 and 1440.");
        refused("{\"strategy\": \"CANARY\", \"canaryConfiguration\": {\"canaryPercent\": 0.0}}", lb,
                "canaryPercent must be a multiple of 0.1 between 0.1 and 100.0.");
        refused("{\"strategy\": \"CANARY\", \"canaryConfiguration\": {\"canaryBakeTimeInMinutes\": -1}}", lb,
                "canaryBakeTimeInMinutes must be between 0 and 1440.");
        refused("{\"strategy\": \"BLUE_GREEN\", \"canaryConfiguration\": {\"canaryPercent\": 5.0}}", lb,
                "canaryConfiguration can only be specified when the deployment strategy is CANARY.");
        refused("{\"strategy\": \"CANARY\", \"linearConfiguration\": {\"stepPercent\": 5.0}}", lb,
                "linearConfiguration can only be specified when the deployment strategy is LINEAR.");
    }

    @Test
    void lambdaLifecycleHooksAreRefusedBecauseNoLambdaFunctionCanRun() {
        long before = store.currentRevision();
        AwsException e = ecs.fails("CreateService", create("{\"strategy\": \"BLUE_GREEN\", \"lifecycleHooks\": "
                + "[{\"hookTargetArn\": \"arn:aws:lambda:us-east-1:123456789012:function:check\", "
                + "\"roleArn\": \"arn:aws:iam::123456789012:role/hooks\", \"lifecycleStages\": [\"POST_SCALE_UP\"]}]}",
                advanced(green, production, null)), "UnsupportedFeatureException");
        assertThat(e.getMessage()).isEqualTo("Stevedore does not run AWS_LAMBDA deployment lifecycle hooks: it cannot "
                + "invoke AWS Lambda functions. PAUSE hooks are supported.");
        assertThat(store.currentRevision()).isEqualTo(before);
    }

    @Test
    void pauseHooksNameTheStagesBetweenMovesOfATrafficShiftingDeployment() {
        String lb = advanced(green, production, null);
        refused("{\"strategy\": \"BLUE_GREEN\", \"lifecycleHooks\": [{\"targetType\": \"PAUSE\", "
                + "\"lifecycleStages\": [\"PRODUCTION_TRAFFIC_SHIFT\"]}]}", lb,
                "PAUSE hooks cannot be configured at the PRODUCTION_TRAFFIC_SHIFT stage; it is only valid for "
                        + "AWS_LAMBDA hooks.");
        refused("{\"strategy\": \"BLUE_GREEN\", \"lifecycleHooks\": [{\"targetType\": \"PAUSE\", "
                + "\"lifecycleStages\": []}]}", lb, "A deployment lifecycle hook must name at least one lifecycleStage.");
        refused("{\"strategy\": \"ROLLING\", \"lifecycleHooks\": [{\"targetType\": \"PAUSE\", "
                + "\"lifecycleStages\": [\"POST_SCALE_UP\"]}]}", plain(blue),
                "Deployment lifecycle hooks are only supported for the BLUE_GREEN, LINEAR and CANARY deployment "
                        + "strategies.");
        refused("{\"strategy\": \"BLUE_GREEN\", \"lifecycleHooks\": [{\"targetType\": \"PAUSE\", "
                + "\"hookTargetArn\": \"arn:aws:lambda:us-east-1:123456789012:function:check\", "
                + "\"lifecycleStages\": [\"POST_SCALE_UP\"]}]}", lb, "A PAUSE lifecycle hook does not take a hookTargetArn.");

        var service = ecs.call("CreateService", create("{\"strategy\": \"BLUE_GREEN\", \"lifecycleHooks\": "
                + "[{\"targetType\": \"PAUSE\", \"lifecycleStages\": [\"POST_TEST_TRAFFIC_SHIFT\", "
                + "\"PRE_PRODUCTION_TRAFFIC_SHIFT\"], \"timeoutConfiguration\": {\"timeoutInMinutes\": 30, "
                + "\"action\": \"CONTINUE\"}}]}", lb).replace("\"desiredCount\": 1", "\"desiredCount\": 0"))
                .path("service");
        assertThat(service.at("/deploymentConfiguration/lifecycleHooks/0/lifecycleStages").toString())
                .isEqualTo("[\"POST_TEST_TRAFFIC_SHIFT\",\"PRE_PRODUCTION_TRAFFIC_SHIFT\"]");
        assertThat(service.at("/deploymentConfiguration/lifecycleHooks/0/timeoutConfiguration/action").asText())
                .isEqualTo("CONTINUE");
    }

    @Test
    void aValidBlueGreenServiceIsAnsweredAsConfiguredAndAnUpdateCanMoveItToCanary() {
        var service = ecs.call("CreateService", create("{\"strategy\": \"BLUE_GREEN\", \"bakeTimeInMinutes\": 5}",
                advanced(green, production, null)).replace("\"desiredCount\": 1", "\"desiredCount\": 0"))
                .path("service");
        assertThat(service.at("/deploymentConfiguration/strategy").asText()).isEqualTo("BLUE_GREEN");
        assertThat(service.at("/deploymentConfiguration/bakeTimeInMinutes").asInt()).isEqualTo(5);
        assertThat(service.at("/loadBalancers/0/advancedConfiguration/alternateTargetGroupArn").asText())
                .isEqualTo(green);

        var updated = ecs.call("UpdateService", """
                {"cluster": "c", "service": "web", "deploymentConfiguration": {"strategy": "CANARY",
                  "canaryConfiguration": {"canaryPercent": 20.0, "canaryBakeTimeInMinutes": 2}}}""").path("service");
        assertThat(updated.at("/deploymentConfiguration/strategy").asText()).isEqualTo("CANARY");
        assertThat(updated.at("/deploymentConfiguration/canaryConfiguration/canaryPercent").asDouble()).isEqualTo(20.0);

        // Back to ROLLING with the advanced load balancer still there: refused, nothing written (measured once
        // the scheduler has written the steady state it reaches).
        await().atMost(Duration.ofSeconds(30)).until(() -> ecs.call("DescribeServices",
                "{\"cluster\": \"c\", \"services\": [\"web\"]}").at("/services/0/events").size() > 0);
        long before = store.currentRevision();
        AwsException e = ecs.fails("UpdateService", "{\"cluster\": \"c\", \"service\": \"web\", "
                + "\"deploymentConfiguration\": {\"strategy\": \"ROLLING\"}}", "InvalidParameterException");
        assertThat(e.getMessage()).startsWith("advancedConfiguration can only be specified");
        assertThat(store.currentRevision()).isEqualTo(before);
    }

    private void refused(String deploymentConfiguration, String loadBalancer, String message) {
        long before = store.currentRevision();
        AwsException e = ecs.fails("CreateService", create(deploymentConfiguration, loadBalancer),
                "InvalidParameterException");
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(store.currentRevision()).isEqualTo(before);
        assertThat(ecs.call("ListServices", "{\"cluster\": \"c\"}").path("serviceArns")).isEmpty();
    }

    private static String create(String deploymentConfiguration, String loadBalancer) {
        return """
                {"cluster": "c", "serviceName": "web", "taskDefinition": "web", "desiredCount": 1,
                 "deploymentConfiguration": %s, "loadBalancers": [%s]}""".formatted(deploymentConfiguration,
                loadBalancer);
    }

    private static String plain(String group) {
        return "{\"targetGroupArn\": \"" + group + "\", \"containerName\": \"app\", \"containerPort\": 80}";
    }

    private String advanced(String alternate, String productionRule, String testRule) {
        return "{\"targetGroupArn\": \"" + blue + "\", \"containerName\": \"app\", \"containerPort\": 80, "
                + "\"advancedConfiguration\": {\"alternateTargetGroupArn\": \"" + alternate + "\", "
                + "\"productionListenerRule\": \"" + productionRule + "\""
                + (testRule == null ? "" : ", \"testListenerRule\": \"" + testRule + "\"") + "}}";
    }
}
