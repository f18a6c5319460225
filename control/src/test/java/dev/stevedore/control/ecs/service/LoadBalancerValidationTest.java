package dev.stevedore.control.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.control.ecs.ControllerSettings;
import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.task.TaskRoleTrust;
import dev.stevedore.store.InMemoryStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What CreateService and UpdateService check of {@code loadBalancers}, with ECS's messages; a refused
 * call writes nothing.
 */
class LoadBalancerValidationTest {
    private InMemoryStateStore store;
    private InMemoryTargets targets;
    private EcsHarness ecs;
    private String ipGroup;
    private String instanceGroup;

    @BeforeEach
    void setUp() {
        store = new InMemoryStateStore();
        targets = new InMemoryTargets(store);
        ecs = new EcsHarness(store, ControllerSettings.defaults(), TaskRoleTrust.ANY, targets);
        ecs.call("CreateCluster", "{\"clusterName\": \"c\"}");
        ecs.call("RegisterTaskDefinition", """
                {"family": "bridge-web", "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 64,
                  "portMappings": [{"containerPort": 80, "hostPort": 0}]}]}""");
        ipGroup = targets.group("ip-tg", "ip");
        instanceGroup = targets.group("instance-tg", "instance");
    }

    @AfterEach
    void tearDown() {
        ecs.api.close();
    }

    @Test
    void aTargetGroupThatDoesNotExistIsRefused() {
        refused(lb("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0123456789abcdef", "app", 80),
                "Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service "
                        + "role being passed has the proper permissions.");
    }

    @Test
    void aTargetGroupNoLoadBalancerForwardsToIsRefused() {
        String lonely = targets.group("lonely", "instance", List.of());
        refused(lb(lonely, "app", 80),
                "The target group with targetGroupArn " + lonely + " does not have an associated load balancer.");
    }

    @Test
    void aTargetTypeThatDoesNotFitTheNetworkModeIsRefused() {
        refused(lb(ipGroup, "app", 80), "The provided target group " + ipGroup + " has target type ip, which is "
                + "incompatible with the bridge network mode specified in the task definition.");
    }

    @Test
    void aContainerOrPortNotInTheDefinitionIsRefused() {
        refused(lb(instanceGroup, "web", 80), "The container web does not exist in the task definition.");
        refused(lb(instanceGroup, "app", 8080), "The container app did not have a container port 8080 defined.");
    }

    @Test
    void aClassicLoadBalancerNameIsRefused() {
        refused("{\"loadBalancerName\": \"classic\", \"containerName\": \"app\", \"containerPort\": 80}",
                "The load balancer classic does not exist.");
        refused("{\"loadBalancerName\": \"classic\", \"targetGroupArn\": \"" + instanceGroup
                        + "\", \"containerName\": \"app\", \"containerPort\": 80}",
                "loadBalancerName and targetGroupArn cannot both be specified. You must specify either a "
                        + "loadBalancerName or a targetGroupArn.");
    }

    @Test
    void aControlPlaneWithoutLoadBalancersRefusesEveryTargetGroup() {
        EcsHarness plain = new EcsHarness(new InMemoryStateStore());
        try {
            plain.call("CreateCluster", "{\"clusterName\": \"c\"}");
            plain.call("RegisterTaskDefinition", """
                    {"family": "bridge-web", "containerDefinitions": [{"name": "app", "image": "busybox",
                      "memory": 64, "portMappings": [{"containerPort": 80}]}]}""");
            AwsException e = plain.fails("CreateService", create(lb(instanceGroup, "app", 80)),
                    "InvalidParameterException");
            assertThat(e.getMessage()).startsWith("Unable to assume role and validate the specified targetGroupArn.");
        } finally {
            plain.api.close();
        }
    }

    @Test
    void aFittingLoadBalancerIsKeptWithTheRoleAndGracePeriod() {
        JsonNode s = ecs.call("CreateService", """
                {"cluster": "c", "serviceName": "web", "taskDefinition": "bridge-web", "desiredCount": 0,
                 "role": "ecsServiceRole", "healthCheckGracePeriodSeconds": 45,
                 "loadBalancers": [%s]}""".formatted(lb(instanceGroup, "app", 80))).path("service");
        assertThat(s.at("/loadBalancers/0/targetGroupArn").asText()).isEqualTo(instanceGroup);
        assertThat(s.path("roleArn").asText()).isEqualTo("arn:aws:iam::" + EcsHarness.ACCOUNT + ":role/ecsServiceRole");
        assertThat(s.path("healthCheckGracePeriodSeconds").asInt()).isEqualTo(45);
        JsonNode described = ecs.call("DescribeServices", "{\"cluster\": \"c\", \"services\": [\"web\"]}")
                .at("/services/0");
        assertThat(described.at("/loadBalancers/0/containerPort").asInt()).isEqualTo(80);
        assertThat(described.path("healthCheckGracePeriodSeconds").asInt()).isEqualTo(45);
    }

    @Test
    void aRoleForAnAwsvpcServiceOrOneWithoutLoadBalancersIsRefused() {
        long before = store.currentRevision();
        AwsException e = ecs.fails("CreateService", """
                {"cluster": "c", "serviceName": "web", "taskDefinition": "bridge-web", "desiredCount": 0,
                 "role": "ecsServiceRole"}""", "InvalidParameterException");
        assertThat(e.getMessage()).isEqualTo("You cannot specify an IAM role for services that require a service "
                + "linked role.");
        assertThat(store.currentRevision()).isEqualTo(before);
    }

    @Test
    void updateServiceChecksTheLoadBalancersItIsGivenAndStartsADeploymentForThem() {
        ecs.call("CreateService", """
                {"cluster": "c", "serviceName": "web", "taskDefinition": "bridge-web", "desiredCount": 0}""");
        // The scheduler's first pass writes the service's steady state; the refusal is measured after it.
        await().atMost(Duration.ofSeconds(30)).until(() -> ecs.call("DescribeServices",
                "{\"cluster\": \"c\", \"services\": [\"web\"]}").at("/services/0/events").size() > 0);
        long before = store.currentRevision();
        AwsException e = ecs.fails("UpdateService", "{\"cluster\": \"c\", \"service\": \"web\", \"loadBalancers\": ["
                + lb(ipGroup, "app", 80) + "]}", "InvalidParameterException");
        assertThat(e.getMessage()).contains("has target type ip, which is incompatible with the bridge network mode");
        assertThat(store.currentRevision()).isEqualTo(before);

        JsonNode s = ecs.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"web\", \"loadBalancers\": ["
                + lb(instanceGroup, "app", 80) + "]}").path("service");
        assertThat(s.at("/loadBalancers/0/targetGroupArn").asText()).isEqualTo(instanceGroup);
        assertThat(s.path("deployments")).hasSize(2);  // a new deployment registers the tasks

        // A new definition must fit the load balancers the service keeps.
        ecs.call("RegisterTaskDefinition", """
                {"family": "bridge-web", "containerDefinitions": [{"name": "other", "image": "busybox", "memory": 64}]}""");
        long beforeDefinition = store.currentRevision();
        AwsException missing = ecs.fails("UpdateService", "{\"cluster\": \"c\", \"service\": \"web\", "
                + "\"taskDefinition\": \"bridge-web:2\"}", "InvalidParameterException");
        assertThat(missing.getMessage()).isEqualTo("The container app does not exist in the task definition.");
        assertThat(store.currentRevision()).isEqualTo(beforeDefinition);
    }

    private void refused(String loadBalancer, String message) {
        long before = store.currentRevision();
        AwsException e = ecs.fails("CreateService", create(loadBalancer), "InvalidParameterException");
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(store.currentRevision()).isEqualTo(before);
        assertThat(ecs.call("ListServices", "{\"cluster\": \"c\"}").path("serviceArns")).isEmpty();
    }

    private static String create(String loadBalancer) {
        return """
                {"cluster": "c", "serviceName": "web", "taskDefinition": "bridge-web", "desiredCount": 1,
                 "loadBalancers": [%s]}""".formatted(loadBalancer);
    }

    private static String lb(String group, String container, int port) {
        return "{\"targetGroupArn\": \"%s\", \"containerName\": \"%s\", \"containerPort\": %d}"
                .formatted(group, container, port);
    }
}
