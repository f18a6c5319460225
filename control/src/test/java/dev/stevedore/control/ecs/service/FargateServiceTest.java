package dev.stevedore.control.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ecs.fargate.PlatformPool;
import dev.stevedore.control.ecs.fargate.VpcFixture;
import dev.stevedore.store.Txn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fargate services end to end in one process: the real API, store, plan applier and service
 * scheduler, subnets written into the store, two platform hosts, and {@link FakeAgents} reporting
 * the tasks as platform hosts' agents do (interface attached, running, stopped, detached).
 */
class FargateServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NET_A = "{\"awsvpcConfiguration\": {\"subnets\": [\"subnet-a\"]}}";
    private static final String NET_AB = "{\"awsvpcConfiguration\": {\"subnets\": [\"subnet-a\", \"subnet-b\"]}}";
    private static final String NET_B = "{\"awsvpcConfiguration\": {\"subnets\": [\"subnet-b\"]}}";
    private static final String NET_SMALL = "{\"awsvpcConfiguration\": {\"subnets\": [\"subnet-small\"]}}";
    /** A Fargate launch with the circuit breaker on, rolling back or not. */
    private static final String BREAKER = "\"launchType\": \"FARGATE\", \"deploymentConfiguration\": "
            + "{\"deploymentCircuitBreaker\": {\"enable\": true, \"rollback\": %s}},";

    private ServiceFixture f;

    @BeforeEach
    void setUp() {
        f = new ServiceFixture();
        f.call("RegisterTaskDefinition", """
                {"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
                 "cpu": "256", "memory": "512",
                 "containerDefinitions": [{"name": "app", "image": "busybox", "essential": true}]}""");
        VpcFixture.subnet(f.ecs.store, "subnet-a", "vpc-1", "us-east-1a", "10.0.0.0/24");
        VpcFixture.subnet(f.ecs.store, "subnet-b", "vpc-1", "us-east-1b", "10.0.1.0/24");
        VpcFixture.subnet(f.ecs.store, "subnet-small", "vpc-1", "us-east-1c", "10.0.2.0/28");
        VpcFixture.subnet(f.ecs.store, "subnet-other", "vpc-2", "us-east-1a", "10.9.0.0/24");
        VpcFixture.securityGroup(f.ecs.store, "sg-default", "vpc-1", "default");
        VpcFixture.securityGroup(f.ecs.store, "sg-other", "vpc-2", "other");
        f.ecs.registerInstance(PlatformPool.CLUSTER, 4096, 8192, "us-east-1a");
        f.ecs.registerInstance(PlatformPool.CLUSTER, 4096, 8192, "us-east-1b");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private JsonNode create(String name, int desired, String launch, String network) {
        return f.call("CreateService", """
                {"cluster": "c", "serviceName": "%s", "taskDefinition": "web", "desiredCount": %d, %s
                 "networkConfiguration": %s}""".formatted(name, desired, launch, network)).at("/service");
    }

    private JsonNode update(String name, String members) {
        return f.call("UpdateService", "{\"cluster\": \"c\", \"service\": \"" + name + "\", " + members + "}")
                .at("/service");
    }

    private List<JsonNode> runningTasks(String name) {
        List<JsonNode> out = new ArrayList<>();
        for (String arn : f.tasks(name)) {
            out.add(f.call("DescribeTasks", "{\"cluster\": \"c\", \"tasks\": [\"" + arn + "\"]}").at("/tasks/0"));
        }
        return out;
    }

    private static Map<String, String> details(JsonNode task) {
        Map<String, String> out = new LinkedHashMap<>();
        task.at("/attachments/0/details").forEach(d -> out.put(d.path("name").asText(), d.path("value").asText()));
        return out;
    }

    private boolean stableAt(String name, int count) {
        return f.stable(name) && f.tasks(name).size() == count
                && runningTasks(name).stream().allMatch(t -> t.path("lastStatus").asText().equals("RUNNING"));
    }

    @Test
    void aFargateServiceRunsItsTasksOnThePlatformWithAnAddressEachSpreadOverItsSubnetsZones() {
        JsonNode created = create("api", 4, "\"launchType\": \"FARGATE\",", NET_AB);
        assertThat(created.path("launchType").asText()).isEqualTo("FARGATE");
        assertThat(created.has("capacityProviderStrategy")).isFalse();
        assertThat(created.path("platformVersion").asText()).isEqualTo("LATEST");
        assertThat(created.path("platformFamily").asText()).isEqualTo("Linux");
        assertThat(created.at("/networkConfiguration/awsvpcConfiguration/subnets").toString())
                .isEqualTo("[\"subnet-a\",\"subnet-b\"]");
        assertThat(created.at("/networkConfiguration/awsvpcConfiguration/assignPublicIp").asText()).isEqualTo("DISABLED");
        JsonNode deployment = created.at("/deployments/0");
        assertThat(deployment.path("launchType").asText()).isEqualTo("FARGATE");
        assertThat(deployment.path("platformVersion").asText()).isEqualTo("1.4.0");
        assertThat(deployment.path("platformFamily").asText()).isEqualTo("Linux");
        assertThat(deployment.path("networkConfiguration")).isEqualTo(created.path("networkConfiguration"));
        assertThat(deployment.has("capacityProviderStrategy")).isFalse();

        await().atMost(WAIT).until(() -> stableAt("api", 4));
        JsonNode described = f.service("api");
        for (String member : List.of("launchType", "platformVersion", "platformFamily", "networkConfiguration")) {
            assertThat(described.path(member)).as(member).isEqualTo(created.path(member));
        }
        assertThat(described.has("capacityProviderStrategy")).isFalse();
        assertThat(described.at("/deployments/0/platformVersion").asText()).isEqualTo("1.4.0");
        List<JsonNode> tasks = runningTasks("api");
        Map<String, Integer> perZone = new HashMap<>();
        List<String> addresses = new ArrayList<>();
        for (JsonNode t : tasks) {
            assertThat(t.path("launchType").asText()).isEqualTo("FARGATE");
            assertThat(t.path("platformVersion").asText()).isEqualTo("1.4.0");
            assertThat(t.has("containerInstanceArn")).isFalse();
            assertThat(t.has("capacityProviderName")).isFalse();
            assertThat(t.path("group").asText()).isEqualTo("service:api");
            addresses.add(details(t).get("privateIPv4Address"));
            perZone.merge(t.path("availabilityZone").asText(), 1, Integer::sum);
        }
        assertThat(addresses).doesNotHaveDuplicates().allMatch(a -> a.startsWith("10.0.0.") || a.startsWith("10.0.1."));
        assertThat(perZone).containsEntry("us-east-1a", 2).containsEntry("us-east-1b", 2);

        for (int n : new int[] {6, 1}) {
            f.scale("api", n);
            await().atMost(WAIT).until(() -> stableAt("api", n));
            assertThat(f.service("api").at("/deployments")).hasSize(1);
        }
    }

    @Test
    void changingTheNetworkOrPlatformVersionStartsADeploymentAndOldTasksKeepTheirs() {
        create("api", 2, "\"launchType\": \"FARGATE\",", NET_A);
        await().atMost(WAIT).until(() -> stableAt("api", 2));
        String first = f.service("api").at("/deployments/0/id").asText();

        JsonNode updated = update("api", "\"networkConfiguration\": " + NET_B);
        assertThat(updated.at("/deployments")).hasSize(2);
        assertThat(updated.at("/deployments/0/networkConfiguration/awsvpcConfiguration/subnets/0").asText())
                .isEqualTo("subnet-b");
        assertThat(updated.at("/deployments/1/id").asText()).isEqualTo(first);
        assertThat(updated.at("/deployments/1/networkConfiguration/awsvpcConfiguration/subnets/0").asText())
                .isEqualTo("subnet-a");
        await().atMost(WAIT).until(() -> stableAt("api", 2));
        assertThat(runningTasks("api")).allSatisfy(t -> assertThat(details(t).get("subnetId")).isEqualTo("subnet-b"));

        updated = update("api", "\"platformVersion\": \"1.3.0\"");
        assertThat(updated.path("platformVersion").asText()).isEqualTo("1.3.0");
        assertThat(updated.at("/deployments")).hasSize(2);
        assertThat(updated.at("/deployments/0/platformVersion").asText()).isEqualTo("1.3.0");
        assertThat(updated.at("/deployments/1/platformVersion").asText()).isEqualTo("1.4.0");
        await().atMost(WAIT).until(() -> stableAt("api", 2));
        assertThat(runningTasks("api")).allSatisfy(t -> assertThat(t.path("platformVersion").asText()).isEqualTo("1.3.0"));

        // The same network again changes nothing.
        assertThat(update("api", "\"networkConfiguration\": " + NET_B).at("/deployments")).hasSize(1);
    }

    @Test
    void aStrategyIsSplitOverTheServicesTasksAcrossScaleUpsInSeveralPasses() {
        f.call("PutClusterCapacityProviders", """
                {"cluster": "c", "capacityProviders": ["FARGATE", "FARGATE_SPOT"], "defaultCapacityProviderStrategy": []}""");
        JsonNode created = create("api", 1, """
                "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "base": 2, "weight": 1},
                                             {"capacityProvider": "FARGATE_SPOT", "weight": 1}],""", NET_AB);
        assertThat(created.has("launchType")).isFalse();
        assertThat(created.at("/capacityProviderStrategy")).isEqualTo(json("""
                [{"capacityProvider": "FARGATE", "weight": 1, "base": 2},
                 {"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}]"""));
        assertThat(created.at("/deployments/0/capacityProviderStrategy")).isEqualTo(created.at("/capacityProviderStrategy"));
        assertThat(created.at("/deployments/0").has("launchType")).isFalse();
        for (int n : new int[] {1, 3, 6}) {
            f.scale("api", n);
            await().atMost(WAIT).until(() -> stableAt("api", n));
        }
        // Base 2 on FARGATE, then the other four one to one: what starting all six at once gives. A
        // split per start (1, then 2, then 3 tasks) would have given FARGATE five.
        Map<String, Integer> providers = new HashMap<>();
        runningTasks("api").forEach(t -> providers.merge(t.path("capacityProviderName").asText(), 1, Integer::sum));
        assertThat(providers).containsExactlyInAnyOrderEntriesOf(Map.of("FARGATE", 4, "FARGATE_SPOT", 2));
    }

    @Test
    void theClustersDefaultStrategyMakesAServiceFargateAndAnEc2ServiceMovesToAStrategyWithANewDeployment() {
        f.call("PutClusterCapacityProviders", """
                {"cluster": "c", "capacityProviders": ["FARGATE", "FARGATE_SPOT"],
                 "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]}""");
        JsonNode byDefault = create("api", 1, "", NET_A);
        assertThat(byDefault.has("launchType")).isFalse();
        assertThat(byDefault.at("/capacityProviderStrategy/0/capacityProvider").asText()).isEqualTo("FARGATE_SPOT");
        await().atMost(WAIT).until(() -> stableAt("api", 1));
        assertThat(runningTasks("api").getFirst().path("capacityProviderName").asText()).isEqualTo("FARGATE_SPOT");

        f.call("RegisterTaskDefinition", """
                {"family": "both", "networkMode": "awsvpc", "requiresCompatibilities": ["EC2", "FARGATE"],
                 "cpu": "256", "memory": "512",
                 "containerDefinitions": [{"name": "app", "image": "busybox", "essential": true}]}""");
        f.call("CreateService", """
                {"cluster": "c", "serviceName": "old", "taskDefinition": "both", "desiredCount": 0, "launchType": "EC2",
                 "networkConfiguration": %s}""".formatted(NET_A));
        String strategy = "\"capacityProviderStrategy\": [{\"capacityProvider\": \"FARGATE\", \"weight\": 1}]";
        String refused = f.ecs.fails("UpdateService", "{\"cluster\": \"c\", \"service\": \"old\", " + strategy + "}",
                "InvalidParameterException").getMessage();
        assertThat(refused).isEqualTo("When switching from launch type to capacity provider strategy on an existing "
                + "service, or making a change to a capacity provider strategy on a service that is already using "
                + "one, you must force a new deployment.");
        JsonNode moved = update("old", strategy + ", \"forceNewDeployment\": true");
        assertThat(moved.has("launchType")).isFalse();
        assertThat(moved.path("platformVersion").asText()).isEqualTo("LATEST");
        assertThat(moved.at("/deployments/0/capacityProviderStrategy/0/capacityProvider").asText()).isEqualTo("FARGATE");
        assertThat(moved.at("/deployments/1/launchType").asText()).isEqualTo("EC2");
        f.scale("old", 1);
        await().atMost(WAIT).until(() -> stableAt("old", 1));
        assertThat(runningTasks("old").getFirst().path("launchType").asText()).isEqualTo("FARGATE");
        Map<String, String> statistics = new HashMap<>();
        f.call("DescribeClusters", "{\"clusters\": [\"c\"], \"include\": [\"STATISTICS\"]}").at("/clusters/0/statistics")
                .forEach(kv -> statistics.put(kv.path("name").asText(), kv.path("value").asText()));
        assertThat(statistics).containsEntry("activeFargateServiceCount", "2").containsEntry("activeEC2ServiceCount", "0")
                .containsEntry("runningFargateTasksCount", "2");

        // An empty strategy takes the service back to the FARGATE launch type, again with a new deployment.
        assertThat(f.ecs.fails("UpdateService", "{\"cluster\": \"c\", \"service\": \"old\", "
                + "\"capacityProviderStrategy\": []}", "InvalidParameterException").getMessage())
                .contains("you must force a new deployment");
        JsonNode back = update("old", "\"capacityProviderStrategy\": [], \"forceNewDeployment\": true");
        assertThat(back.path("launchType").asText()).isEqualTo("FARGATE");
        assertThat(back.has("capacityProviderStrategy")).isFalse();
        assertThat(back.at("/deployments/0/launchType").asText()).isEqualTo("FARGATE");
        await().atMost(WAIT).until(() -> stableAt("old", 1));
        assertThat(runningTasks("old").getFirst().has("capacityProviderName")).isFalse();
    }

    @Test
    void theCircuitBreakerTripsWhenTheSubnetHasNoAddressLeft() {
        fillSmallSubnet();
        create("api", 3, BREAKER.formatted(false), NET_SMALL);
        await().atMost(WAIT).until(() -> f.service("api").at("/deployments/0/rolloutState").asText().equals("FAILED"));
        JsonNode s = f.service("api");
        assertThat(s.at("/deployments/0/failedTasks").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(s.at("/runningCount").asInt()).isZero();
        assertThat(f.events("api")).contains("(service api) failed to launch a task with (error Unexpected EC2 error "
                + "while attempting to Create Network Interface in subnet 'subnet-small': "
                + "InsufficientFreeAddressesInSubnet).");
        assertThat(f.events("api")).anySatisfy(e -> assertThat(e).endsWith("deployment failed: tasks failed to start."));
    }

    @Test
    void aDeploymentToFullSubnetsRollsBackToTheNetworkThatWorked() {
        fillSmallSubnet();
        create("api", 2, BREAKER.formatted(true), NET_A);
        await().atMost(WAIT).until(() -> stableAt("api", 2));
        String good = f.service("api").at("/deployments/0/id").asText();
        update("api", "\"networkConfiguration\": " + NET_SMALL);
        await().atMost(WAIT).until(() -> f.events("api").contains("(service api) rolling back to deployment " + good + "."));
        await().atMost(WAIT).until(() -> stableAt("api", 2) && f.service("api").at("/deployments/0/id").asText().equals(good));
        assertThat(f.service("api").at("/deployments/0/networkConfiguration/awsvpcConfiguration/subnets/0").asText())
                .isEqualTo("subnet-a");
        assertThat(runningTasks("api")).allSatisfy(t -> assertThat(details(t).get("subnetId")).isEqualTo("subnet-a"));
    }

    @Test
    void aSubnetDeletedUnderAServiceDoesNotStopItScalingButItsTasksFailToLaunch() {
        create("api", 1, "\"launchType\": \"FARGATE\",", NET_B);
        await().atMost(WAIT).until(() -> stableAt("api", 1));
        f.ecs.store.commit(Txn.builder().delete(Ec2Keys.subnet(VpcFixture.SCOPE, "subnet-b")).build());
        f.scale("api", 2);
        await().atMost(WAIT).until(() -> f.events("api").contains("(service api) failed to launch a task with (error "
                + "Error retrieving subnet information for [subnet-b]: The subnet ID 'subnet-b' does not exist "
                + "(Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound))."));
        assertThat(f.tasks("api")).hasSize(1);
    }

    /** A /28 has 11 addresses AWS does not reserve: RunTask takes them all. */
    private void fillSmallSubnet() {
        for (int count : new int[] {10, 1}) {
            f.call("RunTask", """
                    {"cluster": "c", "taskDefinition": "web", "launchType": "FARGATE", "count": %d,
                     "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-small"]}}}""".formatted(count));
        }
    }

    @Test
    void refusedFargateServicesChangeNothing() {
        f.register("bridge", "busybox");
        String fargate = "\"launchType\": \"FARGATE\", ";
        String net = "\"networkConfiguration\": " + NET_A;
        assertCreateRefused(fargate + "\"schedulingStrategy\": \"DAEMON\", " + net, "InvalidParameterException",
                "The DAEMON scheduling strategy is not supported with the FARGATE launch type.");
        assertCreateRefused(fargate + "\"placementConstraints\": [{\"type\": \"distinctInstance\"}], " + net,
                "InvalidParameterException", "Placement constraints are not supported with FARGATE launch type.");
        assertCreateRefused(fargate + "\"placementStrategy\": [{\"type\": \"random\"}], " + net,
                "InvalidParameterException", "Placement strategies are not supported with FARGATE launch type.");
        assertCreateRefused(fargate.substring(0, fargate.length() - 2), "InvalidParameterException",
                "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        assertCreateRefused(fargate + "\"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": [\"subnet-x\"]}}",
                "InvalidParameterException", "InvalidSubnetID.NotFound");
        assertCreateRefused(fargate + "\"networkConfiguration\": {\"awsvpcConfiguration\": "
                + "{\"subnets\": [\"subnet-a\", \"subnet-other\"]}}", "InvalidParameterException", "same VPC");
        List<String> seventeen = new ArrayList<>();
        List<String> sixGroups = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            seventeen.add("\"subnet-a\"");
            if (i < 6) {
                sixGroups.add("\"sg-default\"");
            }
        }
        assertCreateRefused(fargate + "\"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": ["
                + String.join(",", seventeen) + "]}}", "InvalidParameterException", "subnets can have at most 16 items.");
        assertCreateRefused(fargate + "\"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": [\"subnet-a\"], "
                        + "\"securityGroups\": [" + String.join(",", sixGroups) + "]}}", "InvalidParameterException",
                "securityGroups can have at most 5 items.");
        assertCreateRefused(fargate + "\"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": [\"subnet-a\"], "
                + "\"securityGroups\": [\"sg-other\"]}}", "InvalidParameterException", "does not belong");
        assertCreateRefused(fargate + "\"platformVersion\": \"9.9.9\", " + net, "PlatformUnknownException",
                "The specified platform does not exist.");
        assertCreateRefused("\"launchType\": \"EC2\", \"platformVersion\": \"LATEST\", " + net, "InvalidParameterException",
                "The platform version must be null when specifying an EC2 launch type.");
        assertCreateRefused(fargate + "\"capacityProviderStrategy\": [{\"capacityProvider\": \"FARGATE\", \"weight\": 1}], "
                + net, "InvalidParameterException", "Specifying both a launch type and capacity provider strategy");
        assertCreateRefused("\"capacityProviderStrategy\": [{\"capacityProvider\": \"FARGATE\", \"weight\": 1}], " + net,
                "InvalidParameterException", "not associated with the cluster");
        assertThat(f.ecs.fails("CreateService", """
                {"cluster": "c", "serviceName": "svc", "taskDefinition": "bridge", "desiredCount": 1,
                 "launchType": "FARGATE", %s}""".formatted(net), "InvalidParameterException").getMessage())
                .isEqualTo("Task definition does not support launch_type FARGATE.");
        f.call("PutClusterCapacityProviders", """
                {"cluster": "c", "capacityProviders": ["FARGATE"],
                 "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}]}""");
        assertThat(f.ecs.fails("CreateService", """
                {"cluster": "c", "serviceName": "svc", "taskDefinition": "bridge", "schedulingStrategy": "DAEMON"}""",
                "InvalidParameterException").getMessage()).isEqualTo("Specifying a capacity provider strategy is not "
                + "supported when you create a service using the DAEMON scheduling strategy.");
        assertThat(f.call("ListServices", "{\"cluster\": \"c\"}").at("/serviceArns")).isEmpty();
        assertThat(f.call("ListTasks", "{\"cluster\": \"c\"}").at("/taskArns")).isEmpty();

        create("api", 0, fargate, NET_A);
        await().atMost(WAIT).until(() -> f.stable("api"));
        JsonNode before = f.service("api");
        assertUpdateRefused("\"platformVersion\": \"9.9.9\"", "PlatformUnknownException", "platform does not exist");
        assertUpdateRefused("\"placementConstraints\": [{\"type\": \"distinctInstance\"}]", "InvalidParameterException",
                "Placement constraints are not supported with FARGATE launch type.");
        assertUpdateRefused("\"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": [\"subnet-x\"]}}",
                "InvalidParameterException", "InvalidSubnetID.NotFound");
        assertUpdateRefused("\"taskDefinition\": \"bridge\"", "InvalidParameterException",
                "Task definition does not support launch_type FARGATE.");
        assertUpdateRefused("\"capacityProviderStrategy\": [{\"capacityProvider\": \"FARGATE\", \"weight\": 1}]",
                "InvalidParameterException", "you must force a new deployment");
        JsonNode after = f.service("api");
        assertThat(after.path("deployments")).isEqualTo(before.path("deployments"));
        assertThat(after.path("networkConfiguration")).isEqualTo(before.path("networkConfiguration"));
        assertThat(after.path("launchType").asText()).isEqualTo("FARGATE");
        assertThat(after.path("platformVersion").asText()).isEqualTo("LATEST");
    }

    private static JsonNode json(String text) {
        try {
            return dev.stevedore.awsproto.AwsJson.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertCreateRefused(String members, String code, String message) {
        String body = "{\"cluster\": \"c\", \"serviceName\": \"svc\", \"taskDefinition\": \"web\", "
                + (members.contains("DAEMON") ? "" : "\"desiredCount\": 1, ") + members + "}";
        assertThat(f.ecs.fails("CreateService", body, code).getMessage()).contains(message);
    }

    private void assertUpdateRefused(String members, String code, String message) {
        assertThat(f.ecs.fails("UpdateService", "{\"cluster\": \"c\", \"service\": \"api\", " + members + "}", code)
                .getMessage()).contains(message);
    }
}
