package dev.stevedore.control.ecs.fargate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ecs.EcsHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * FARGATE tasks through RunTask, the plan applier and the agent's reports, on a real (in-memory)
 * store: where they go, the interface each gets, the states ECS shows, running out of addresses
 * and getting them back.
 */
class FargateTasksTest {
    private static final String WEB = """
            {"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
             "cpu": "256", "memory": "512",
             "containerDefinitions": [{"name": "app", "image": "busybox", "essential": true}]}""";

    private EcsHarness ecs;
    private String platformHost;

    @BeforeEach
    void setUp() {
        ecs = new EcsHarness();
        ecs.call("CreateCluster", "{}");
        ecs.call("RegisterTaskDefinition", WEB);
        VpcFixture.subnet(ecs.store, "subnet-a", "vpc-1", "us-east-1a", "10.0.0.0/24");
        VpcFixture.subnet(ecs.store, "subnet-b", "vpc-1", "us-east-1b", "10.0.1.0/24");
        VpcFixture.subnet(ecs.store, "subnet-small", "vpc-1", "us-east-1c", "10.0.2.0/28");
        VpcFixture.subnet(ecs.store, "subnet-other", "vpc-2", "us-east-1a", "10.9.0.0/24");
        VpcFixture.securityGroup(ecs.store, "sg-default", "vpc-1", "default");
        VpcFixture.securityGroup(ecs.store, "sg-web", "vpc-1", "web");
        VpcFixture.securityGroup(ecs.store, "sg-other", "vpc-2", "other");
        platformHost = ecs.registerInstance(PlatformPool.CLUSTER, 4096, 8192, "us-east-1a");
    }

    private JsonNode run(int count, String subnets) {
        return ecs.call("RunTask", """
                {"taskDefinition": "web", "launchType": "FARGATE", "count": %d,
                 "networkConfiguration": {"awsvpcConfiguration": {"subnets": [%s]}}}""".formatted(count, subnets));
    }

    @Test
    void aFargateTaskRunsOnThePlatformWithAnInterfaceOfItsSubnet() {
        JsonNode answer = run(1, "\"subnet-a\"");
        JsonNode task = answer.at("/tasks/0");
        assertThat(task.path("launchType").asText()).isEqualTo("FARGATE");
        assertThat(task.has("containerInstanceArn")).as("the platform host is not the user's").isFalse();
        assertThat(task.path("lastStatus").asText()).isEqualTo("PROVISIONING");
        assertThat(task.path("platformVersion").asText()).isEqualTo("1.4.0");
        assertThat(task.path("platformFamily").asText()).isEqualTo("Linux");
        assertThat(task.at("/ephemeralStorage/sizeInGiB").asInt()).isEqualTo(20);
        assertThat(task.path("availabilityZone").asText()).isEqualTo("us-east-1a");
        JsonNode attachment = task.at("/attachments/0");
        assertThat(attachment.path("type").asText()).isEqualTo("ElasticNetworkInterface");
        assertThat(attachment.path("status").asText()).isEqualTo("PRECREATED");
        Map<String, String> details = VpcFixture.details(attachment);
        assertThat(details.keySet()).containsExactly("subnetId", "networkInterfaceId", "macAddress", "privateDnsName",
                "privateIPv4Address");
        assertThat(details.get("subnetId")).isEqualTo("subnet-a");
        assertThat(details.get("privateIPv4Address")).isEqualTo("10.0.0.4");
        assertThat(details.get("privateDnsName")).isEqualTo("ip-10-0-0-4.ec2.internal");
        assertThat(details.get("macAddress")).matches("0a(:[0-9a-f]{2}){5}");
        assertThat(task.at("/containers/0/networkInterfaces/0/privateIpv4Address").asText()).isEqualTo("10.0.0.4");
        assertThat(task.at("/containers/0/networkInterfaces/0/attachmentId").asText())
                .isEqualTo(attachment.path("id").asText());

        String eni = details.get("networkInterfaceId");
        assertThat(ecs.store.get(Ec2Keys.networkInterface(VpcFixture.SCOPE, eni))).isPresent();
        assertThat(VpcFixture.claims(ecs.store, "subnet-a")).containsExactly("10.0.0.4");
        JsonNode described = ecs.call("DescribeTasks", "{\"tasks\": [\"" + task.path("taskArn").asText() + "\"]}")
                .at("/tasks/0");
        assertThat(described.has("containerInstanceArn")).isFalse();
        assertThat(described.at("/attachments/0/id")).isEqualTo(attachment.path("id"));
        // The platform pool is no cluster a user can see into.
        ecs.fails("DescribeContainerInstances", "{\"cluster\": \"" + PlatformPool.CLUSTER
                + "\", \"containerInstances\": [\"" + platformHost + "\"]}", "ClusterNotFoundException");
    }

    @Test
    void aTaskMovesThroughProvisioningAndDeprovisioningAsTheAgentReports() {
        JsonNode task = run(1, "\"subnet-a\"").at("/tasks/0");
        String arn = task.path("taskArn").asText();
        String attachmentArn = EcsHarness.arn("attachment/" + task.at("/attachments/0/id").asText());
        String pool = PlatformPool.CLUSTER;
        ecs.call("SubmitAttachmentStateChanges", """
                {"cluster": "%s", "attachments": [{"attachmentArn": "%s", "status": "ATTACHING"}]}"""
                .formatted(pool, attachmentArn));
        assertThat(describe(arn).path("lastStatus").asText()).isEqualTo("PROVISIONING");
        assertThat(describe(arn).at("/attachments/0/status").asText()).isEqualTo("ATTACHING");
        ecs.call("SubmitAttachmentStateChanges", """
                {"cluster": "%s", "attachments": [{"attachmentArn": "%s", "status": "ATTACHED"}]}"""
                .formatted(pool, attachmentArn));
        assertThat(describe(arn).path("lastStatus").asText()).isEqualTo("PENDING");
        assertThat(describe(arn).at("/attachments/0/status").asText()).isEqualTo("ATTACHED");
        ecs.call("SubmitTaskStateChange", """
                {"cluster": "%s", "task": "%s", "status": "RUNNING"}""".formatted(pool, arn));
        assertThat(describe(arn).path("lastStatus").asText()).isEqualTo("RUNNING");
        ecs.call("StopTask", "{\"task\": \"" + arn + "\"}");
        ecs.call("SubmitTaskStateChange", """
                {"cluster": "%s", "task": "%s", "status": "STOPPED"}""".formatted(pool, arn));
        JsonNode deprovisioning = describe(arn);
        assertThat(deprovisioning.path("lastStatus").asText()).isEqualTo("DEPROVISIONING");
        assertThat(deprovisioning.at("/attachments/0/status").asText()).isEqualTo("DETACHING");
        assertThat(deprovisioning.has("stoppedAt")).isFalse();
        assertThat(VpcFixture.claims(ecs.store, "subnet-a")).as("the address is held until the interface is gone").hasSize(1);
        ecs.call("SubmitAttachmentStateChanges", """
                {"cluster": "%s", "attachments": [{"attachmentArn": "%s", "status": "DETACHED"}]}"""
                .formatted(pool, attachmentArn));
        JsonNode stopped = describe(arn);
        assertThat(stopped.path("lastStatus").asText()).isEqualTo("STOPPED");
        assertThat(stopped.at("/attachments/0/status").asText()).isEqualTo("DELETED");
        assertThat(stopped.path("stopCode").asText()).isEqualTo("UserInitiated");
        await().untilAsserted(() -> assertThat(VpcFixture.claims(ecs.store, "subnet-a")).isEmpty());
        String eni = VpcFixture.details(stopped.at("/attachments/0")).get("networkInterfaceId");
        assertThat(ecs.store.get(Ec2Keys.networkInterface(VpcFixture.SCOPE, eni))).isEmpty();
        // The address is handed out again.
        JsonNode next = run(1, "\"subnet-a\"").at("/tasks/0");
        assertThat(VpcFixture.details(next.at("/attachments/0")).get("privateIPv4Address")).isEqualTo("10.0.0.4");
    }

    @Test
    void attachmentChangesCarriedInTaskStateChangesLandWithThem() {
        JsonNode task = run(1, "\"subnet-a\"").at("/tasks/0");
        String arn = task.path("taskArn").asText();
        String attachmentArn = EcsHarness.arn("attachment/" + task.at("/attachments/0/id").asText());
        ecs.call("SubmitTaskStateChange", """
                {"cluster": "%s", "task": "%s", "status": "RUNNING",
                 "attachments": [{"attachmentArn": "%s", "status": "ATTACHED"}]}"""
                .formatted(PlatformPool.CLUSTER, arn, attachmentArn));
        assertThat(describe(arn).path("lastStatus").asText()).isEqualTo("RUNNING");
        assertThat(describe(arn).at("/attachments/0/status").asText()).isEqualTo("ATTACHED");
        ecs.call("SubmitTaskStateChange", """
                {"cluster": "%s", "task": "%s", "status": "STOPPED",
                 "attachments": [{"attachmentArn": "%s", "status": "DETACHED"}]}"""
                .formatted(PlatformPool.CLUSTER, arn, attachmentArn));
        assertThat(describe(arn).path("lastStatus").asText()).isEqualTo("STOPPED");
        assertThat(describe(arn).at("/attachments/0/status").asText()).isEqualTo("DELETED");
        ecs.fails("SubmitTaskStateChange", """
                {"cluster": "%s", "task": "%s", "attachments": [{"attachmentArn": "%s", "status": "LOST"}]}"""
                .formatted(PlatformPool.CLUSTER, arn, attachmentArn), "InvalidParameterException");
    }

    @Test
    void aLostPlatformHostsTasksAreStoppedAndTheirAddressesComeBack() {
        EcsHarness lossy = new EcsHarness(new dev.stevedore.store.InMemoryStateStore(),
                dev.stevedore.control.ecs.ControllerSettings.defaults()
                        .withHostLostAfter(java.time.Duration.ofMillis(300)));
        lossy.call("CreateCluster", "{}");
        lossy.call("RegisterTaskDefinition", WEB);
        VpcFixture.subnet(lossy.store, "subnet-a", "vpc-1", "us-east-1a", "10.0.0.0/24");
        VpcFixture.securityGroup(lossy.store, "sg-default", "vpc-1", "default");
        String host = lossy.registerInstance(PlatformPool.CLUSTER, 4096, 8192, "us-east-1a");
        String arn = lossy.call("RunTask", """
                {"taskDefinition": "web", "launchType": "FARGATE",
                 "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a"]}}}""")
                .at("/tasks/0/taskArn").asText();
        assertThat(lossy.store.range(Ec2Keys.subnetAddresses(VpcFixture.SCOPE, "subnet-a"))).hasSize(1);

        lossy.api.agentStates().setConnected(
                dev.stevedore.control.ecs.agent.AgentStates.InstanceRef.parse(host).orElseThrow(), false);

        await().untilAsserted(() -> {
            JsonNode t = lossy.call("DescribeTasks", "{\"tasks\": [\"" + arn + "\"]}").at("/tasks/0");
            assertThat(t.path("lastStatus").asText()).isEqualTo("STOPPED");
            assertThat(t.path("stopCode").asText()).isEqualTo("TerminationNotice");
            assertThat(t.at("/attachments/0/status").asText()).isEqualTo("DELETED");
        });
        await().untilAsserted(() ->
                assertThat(lossy.store.range(Ec2Keys.subnetAddresses(VpcFixture.SCOPE, "subnet-a"))).isEmpty());
        lossy.api.close();
    }

    @Test
    void aFullSubnetStopsTheTasksItHasNoAddressFor() {
        // A /28 has 16 addresses, five of which AWS reserves.
        List<String> addresses = new ArrayList<>();
        for (JsonNode t : run(10, "\"subnet-small\"").path("tasks")) {
            addresses.add(VpcFixture.details(t.at("/attachments/0")).get("privateIPv4Address"));
        }
        JsonNode last = run(2, "\"subnet-small\"");
        assertThat(last.at("/tasks/0/lastStatus").asText()).isEqualTo("PROVISIONING");
        addresses.add(VpcFixture.details(last.at("/tasks/0/attachments/0")).get("privateIPv4Address"));
        assertThat(addresses).doesNotHaveDuplicates().hasSize(11)
                .allMatch(a -> a.startsWith("10.0.2.")).doesNotContain("10.0.2.0", "10.0.2.1", "10.0.2.2",
                        "10.0.2.3", "10.0.2.15");
        JsonNode failed = last.at("/tasks/1");
        assertThat(failed.path("lastStatus").asText()).isEqualTo("STOPPED");
        assertThat(failed.path("stopCode").asText()).isEqualTo("TaskFailedToStart");
        assertThat(failed.path("stoppedReason").asText()).isEqualTo("Unexpected EC2 error while attempting to "
                + "Create Network Interface in subnet 'subnet-small': InsufficientFreeAddressesInSubnet");
        assertThat(VpcFixture.claims(ecs.store, "subnet-small")).hasSize(11);
    }

    @Test
    void tasksSpreadOverTheZonesOfTheirSubnets() {
        Map<String, Integer> perZone = new HashMap<>();
        for (JsonNode t : run(6, "\"subnet-a\", \"subnet-b\"").path("tasks")) {
            perZone.merge(t.path("availabilityZone").asText(), 1, Integer::sum);
        }
        assertThat(perZone).containsEntry("us-east-1a", 3).containsEntry("us-east-1b", 3);
    }

    @Test
    void aTaskRunsOnAPlatformHostInItsSubnetsZoneWhenThePoolHasOne() {
        String hostB = ecs.registerInstance(PlatformPool.CLUSTER, 4096, 8192, "us-east-1b");
        for (JsonNode t : run(6, "\"subnet-a\", \"subnet-b\"").path("tasks")) {
            String zone = t.path("availabilityZone").asText();
            String id = t.path("taskArn").asText().substring(t.path("taskArn").asText().lastIndexOf('/') + 1);
            JsonNode stored = dev.stevedore.control.state.Records.decode(ecs.store.get(
                    dev.stevedore.control.ecs.EcsKeys.task(VpcFixture.SCOPE, "default", id)).orElseThrow().value(),
                    JsonNode.class);
            assertThat(stored.path("containerInstanceArn").asText()).as(zone)
                    .isEqualTo(zone.equals("us-east-1b") ? hostB : platformHost);
        }
        // A subnet in a zone without a platform host is served by any host (one machine serves every zone).
        assertThat(run(1, "\"subnet-small\"").at("/tasks/0/availabilityZone").asText()).isEqualTo("us-east-1c");
    }

    @Test
    void aCapacityProviderStrategySplitsTasksByBaseThenWeight() {
        ecs.call("PutClusterCapacityProviders", """
                {"cluster": "default", "capacityProviders": ["FARGATE", "FARGATE_SPOT"],
                 "defaultCapacityProviderStrategy": []}""");
        JsonNode tasks = ecs.call("RunTask", """
                {"taskDefinition": "web", "count": 4,
                 "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "base": 1, "weight": 1},
                                              {"capacityProvider": "FARGATE_SPOT", "weight": 2}],
                 "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a"]}}}""").path("tasks");
        List<String> providers = new ArrayList<>();
        tasks.forEach(t -> providers.add(t.path("capacityProviderName").asText()));
        // The base goes first; the other three split 1:2 by weight.
        assertThat(providers.get(0)).isEqualTo("FARGATE");
        assertThat(providers.subList(1, 4)).containsExactlyInAnyOrder("FARGATE", "FARGATE_SPOT", "FARGATE_SPOT");
        assertThat(tasks.at("/0/launchType").asText()).isEqualTo("FARGATE");
    }

    @Test
    void aClusterDefaultStrategyMakesRunTaskFargate() {
        ecs.call("PutClusterCapacityProviders", """
                {"cluster": "default", "capacityProviders": ["FARGATE"],
                 "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}]}""");
        JsonNode task = ecs.call("RunTask", """
                {"taskDefinition": "web",
                 "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a"]}}}""").at("/tasks/0");
        assertThat(task.path("launchType").asText()).isEqualTo("FARGATE");
        assertThat(task.path("capacityProviderName").asText()).isEqualTo("FARGATE");
    }

    @Test
    void badFargateRequestsAreRefusedAndChangeNothing() {
        ecs.call("RegisterTaskDefinition", """
                {"family": "bridge", "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 64}]}""");
        String net = "\"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": [\"subnet-a\"]}}";
        assertRefused("{\"taskDefinition\": \"bridge\", \"launchType\": \"FARGATE\", " + net + "}",
                "InvalidParameterException", "Task definition does not support launch_type FARGATE.");
        assertRefused("{\"taskDefinition\": \"web\", \"launchType\": \"FARGATE\"}",
                "InvalidParameterException", "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        assertRefused("{\"taskDefinition\": \"web\", \"launchType\": \"FARGATE\", "
                        + "\"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": []}}}",
                "InvalidParameterException", "subnets can not be empty.");
        List<String> seventeen = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            seventeen.add("\"subnet-a\"");
        }
        assertRefused("{\"taskDefinition\": \"web\", \"launchType\": \"FARGATE\", "
                        + "\"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": [" + String.join(",", seventeen)
                        + "]}}}", "InvalidParameterException", "subnets can have at most 16 items.");
        assertRefused("{\"taskDefinition\": \"web\", \"launchType\": \"FARGATE\", "
                        + "\"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": [\"subnet-nope\"]}}}",
                "InvalidParameterException", "InvalidSubnetID.NotFound");
        assertRefused("{\"taskDefinition\": \"web\", \"launchType\": \"FARGATE\", "
                        + "\"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": [\"subnet-a\", \"subnet-other\"]}}}",
                "InvalidParameterException", "same VPC");
        assertRefused("{\"taskDefinition\": \"web\", \"launchType\": \"FARGATE\", "
                        + "\"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": [\"subnet-a\"], "
                        + "\"securityGroups\": [\"sg-nope\"]}}}", "InvalidParameterException", "InvalidGroup.NotFound");
        assertRefused("{\"taskDefinition\": \"web\", \"launchType\": \"FARGATE\", "
                        + "\"networkConfiguration\": {\"awsvpcConfiguration\": {\"subnets\": [\"subnet-a\"], "
                        + "\"securityGroups\": [\"sg-other\"]}}}", "InvalidParameterException", "does not belong");
        assertRefused("{\"taskDefinition\": \"web\", \"launchType\": \"FARGATE\", " + net
                        + ", \"placementConstraints\": [{\"type\": \"distinctInstance\"}]}",
                "InvalidParameterException", "not supported for the FARGATE launch type");
        assertRefused("{\"taskDefinition\": \"web\", \"launchType\": \"FARGATE\", \"platformVersion\": \"9.9.9\", "
                + net + "}", "PlatformUnknownException", "platform");
        assertRefused("{\"taskDefinition\": \"web\", \"launchType\": \"FARGATE\", "
                        + "\"capacityProviderStrategy\": [{\"capacityProvider\": \"FARGATE\", \"weight\": 1}], " + net + "}",
                "InvalidParameterException", "not both");
        assertRefused("{\"taskDefinition\": \"web\", "
                        + "\"capacityProviderStrategy\": [{\"capacityProvider\": \"FARGATE\", \"weight\": 1}], " + net + "}",
                "InvalidParameterException", "not associated with the cluster");
        assertThat(ecs.call("ListTasks", "{}").path("taskArns")).isEmpty();
        assertThat(ecs.store.range(Ec2Keys.networkInterfaces(VpcFixture.SCOPE))).isEmpty();
    }

    @Test
    void theDefaultSecurityGroupOfTheVpcIsUsedWhenNoneIsNamed() {
        JsonNode task = run(1, "\"subnet-a\"").at("/tasks/0");
        String eni = VpcFixture.details(task.at("/attachments/0")).get("networkInterfaceId");
        String record = new String(ecs.store.get(Ec2Keys.networkInterface(VpcFixture.SCOPE, eni)).orElseThrow().value());
        assertThat(record).contains("\"GroupId\":\"sg-default\"").contains("\"RequesterManaged\":true")
                .contains("\"Description\":\"" + EcsHarness.arn("attachment/" + task.at("/attachments/0/id").asText()));
    }

    private void assertRefused(String request, String code, String messagePart) {
        var error = ecs.fails("RunTask", request, code);
        assertThat(error.getMessage()).contains(messagePart);
    }

    private JsonNode describe(String arn) {
        return ecs.call("DescribeTasks", "{\"tasks\": [\"" + arn + "\"]}").at("/tasks/0");
    }
}
