package dev.stevedore.control.ecs.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ecs.EcsHarness;
import dev.stevedore.control.ecs.fargate.VpcFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * awsvpc tasks on a cluster's own instances (the EC2 launch type, ENI trunking off), through RunTask,
 * StartTask, the plan applier and the agent's reports on a real (in-memory) store: the subnet of the
 * instance's zone, an instance type's interface limit, the zone check, and addresses given back.
 */
class Ec2AwsvpcTasksTest {
    private static final String API = """
            {"family": "api", "networkMode": "awsvpc", "requiresCompatibilities": ["EC2"],
             "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 64, "essential": true}]}""";

    private EcsHarness ecs;

    @BeforeEach
    void setUp() {
        ecs = new EcsHarness();
        ecs.call("CreateCluster", "{}");
        ecs.call("RegisterTaskDefinition", API);
        VpcFixture.subnet(ecs.store, "subnet-a", "vpc-1", "us-east-1a", "10.0.0.0/24");
        VpcFixture.subnet(ecs.store, "subnet-b", "vpc-1", "us-east-1b", "10.0.1.0/24");
        VpcFixture.subnet(ecs.store, "subnet-small", "vpc-1", "us-east-1c", "10.0.2.0/28");
        VpcFixture.securityGroup(ecs.store, "sg-default", "vpc-1", "default");
    }

    /** An m5.large: three network interfaces, the primary one the instance's own. */
    private String m5Large(String zone) {
        return ecs.registerInstance("default", 2048, 7680, zone, "m5.large", VpcFixture.AWSVPC_CAPABLE);
    }

    private JsonNode run(int count, String subnets, String extra) {
        return ecs.call("RunTask", """
                {"taskDefinition": "api", "launchType": "EC2", "count": %d%s,
                 "networkConfiguration": {"awsvpcConfiguration": {"subnets": [%s]}}}"""
                .formatted(count, extra, subnets));
    }

    @Test
    void aTaskGetsAnAddressOfTheSubnetInItsInstancesZone() {
        String instance = m5Large("us-east-1b");
        JsonNode task = run(1, "\"subnet-a\", \"subnet-b\"", "").at("/tasks/0");
        assertThat(task.path("launchType").asText()).isEqualTo("EC2");
        assertThat(task.path("containerInstanceArn").asText()).isEqualTo(instance);
        assertThat(task.path("lastStatus").asText()).as("waiting for its interface").isEqualTo("PROVISIONING");
        assertThat(task.path("availabilityZone").asText()).isEqualTo("us-east-1b");
        JsonNode attachment = task.at("/attachments/0");
        assertThat(attachment.path("type").asText()).isEqualTo("ElasticNetworkInterface");
        assertThat(attachment.path("status").asText()).isEqualTo("PRECREATED");
        Map<String, String> details = VpcFixture.details(attachment);
        assertThat(details.get("subnetId")).isEqualTo("subnet-b");
        assertThat(details.get("privateIPv4Address")).isEqualTo("10.0.1.4");
        assertThat(task.at("/containers/0/networkInterfaces/0/privateIpv4Address").asText()).isEqualTo("10.0.1.4");
        // EC2 shows the interface attached to the instance, whose network interfaces it takes.
        String ec2InstanceId = ecs.call("DescribeContainerInstances",
                "{\"containerInstances\": [\"" + instance + "\"]}").at("/containerInstances/0/ec2InstanceId").asText();
        String eni = new String(ecs.store.get(Ec2Keys.networkInterface(VpcFixture.SCOPE,
                details.get("networkInterfaceId"))).orElseThrow().value());
        assertThat(eni).contains("\"InstanceId\":\"" + ec2InstanceId + "\"")
                .contains("\"InstanceOwnerId\":\"" + EcsHarness.ACCOUNT + "\"")
                .containsPattern("\"AttachmentId\":\"eni-attach-[0-9a-f]{17}\"");
        assertThat(VpcFixture.claims(ecs.store, "subnet-b")).containsExactly("10.0.1.4");
        assertThat(VpcFixture.claims(ecs.store, "subnet-a")).isEmpty();
        // ECS lists an instance's own attachments (a trunk interface, with trunking on); a task's
        // interface is the task's.
        JsonNode described = ecs.call("DescribeContainerInstances",
                "{\"containerInstances\": [\"" + instance + "\"]}").at("/containerInstances/0");
        assertThat(described.path("attachments")).isEmpty();
        assertThat(described.path("pendingTasksCount").asInt()).isEqualTo(1);
    }

    @Test
    void anM5LargeHoldsTwoAwsvpcTasksAndRefusesTheThirdForWantOfAnInterface() {
        String instance = m5Large("us-east-1a");
        JsonNode answer = run(3, "\"subnet-a\"", "");
        assertThat(answer.path("tasks")).hasSize(2);
        assertThat(answer.path("failures")).hasSize(1);
        assertThat(answer.at("/failures/0/reason").asText()).isEqualTo("RESOURCE:ENI");
        assertThat(answer.at("/failures/0/arn").asText()).isEqualTo(instance);
        assertThat(VpcFixture.claims(ecs.store, "subnet-a")).containsExactly("10.0.0.4", "10.0.0.5");
        // A task of another network mode does not need an interface and still fits.
        ecs.call("RegisterTaskDefinition", """
                {"family": "bridge", "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 64}]}""");
        assertThat(ecs.call("RunTask", "{\"taskDefinition\": \"bridge\"}").path("tasks")).hasSize(1);
        // StartTask counts the same interfaces.
        JsonNode started = ecs.call("StartTask", """
                {"taskDefinition": "api", "containerInstances": ["%s"],
                 "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a"]}}}""".formatted(instance));
        assertThat(started.path("tasks")).isEmpty();
        assertThat(started.at("/failures/0/reason").asText()).isEqualTo("RESOURCE:ENI");
    }

    @Test
    void noInstanceInAZoneOfTheSubnetsFailsWithLocation() {
        String instance = m5Large("us-east-1b");
        JsonNode answer = run(2, "\"subnet-a\"", "");
        assertThat(answer.path("tasks")).isEmpty();
        assertThat(answer.path("failures")).hasSize(2);
        assertThat(answer.at("/failures/0/reason").asText()).isEqualTo("LOCATION");
        assertThat(answer.at("/failures/0/arn").asText()).isEqualTo(instance);
        JsonNode started = ecs.call("StartTask", """
                {"taskDefinition": "api", "containerInstances": ["%s"],
                 "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a"]}}}""".formatted(instance));
        assertThat(started.path("tasks")).isEmpty();
        assertThat(started.at("/failures/0/reason").asText()).isEqualTo("LOCATION");
        assertThat(VpcFixture.claims(ecs.store, "subnet-a")).isEmpty();
        assertThat(ecs.store.range(Ec2Keys.networkInterfaces(VpcFixture.SCOPE))).isEmpty();
    }

    @Test
    void startTaskGivesTheTaskAnAddressOfTheSubnetInTheNamedInstancesZone() {
        m5Large("us-east-1a");
        String instance = m5Large("us-east-1b");
        JsonNode task = ecs.call("StartTask", """
                {"taskDefinition": "api", "containerInstances": ["%s"],
                 "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a", "subnet-b"]}}}"""
                .formatted(instance)).at("/tasks/0");
        assertThat(task.path("containerInstanceArn").asText()).isEqualTo(instance);
        assertThat(task.path("lastStatus").asText()).isEqualTo("PROVISIONING");
        assertThat(VpcFixture.details(task.at("/attachments/0")).get("subnetId")).isEqualTo("subnet-b");
    }

    @Test
    void theAddressAndTheInterfaceComeBackOnceTheTaskHasStopped() {
        String instance = m5Large("us-east-1a");
        List<String> arns = new ArrayList<>();
        run(2, "\"subnet-a\"", "").path("tasks").forEach(t -> arns.add(t.path("taskArn").asText()));
        JsonNode first = describe(arns.get(0));
        String attachment = EcsHarness.arn("attachment/" + first.at("/attachments/0/id").asText());
        String eni = VpcFixture.details(first.at("/attachments/0")).get("networkInterfaceId");
        attachment(attachment, "ATTACHED");
        assertThat(describe(arns.get(0)).path("lastStatus").asText()).isEqualTo("PENDING");
        taskState(arns.get(0), "RUNNING");
        ecs.call("StopTask", "{\"task\": \"" + arns.get(0) + "\"}");
        taskState(arns.get(0), "STOPPED");
        assertThat(describe(arns.get(0)).path("lastStatus").asText()).isEqualTo("DEPROVISIONING");
        assertThat(VpcFixture.claims(ecs.store, "subnet-a")).as("held until the interface is gone").hasSize(2);
        attachment(attachment, "DETACHED");
        assertThat(describe(arns.get(0)).path("lastStatus").asText()).isEqualTo("STOPPED");
        await().untilAsserted(() -> assertThat(VpcFixture.claims(ecs.store, "subnet-a")).containsExactly("10.0.0.5"));
        assertThat(ecs.store.get(Ec2Keys.networkInterface(VpcFixture.SCOPE, eni))).isEmpty();
        // The instance's interface and the address are free again.
        JsonNode next = run(1, "\"subnet-a\"", "");
        assertThat(next.path("failures")).isEmpty();
        assertThat(next.at("/tasks/0/containerInstanceArn").asText()).isEqualTo(instance);
        assertThat(VpcFixture.details(next.at("/tasks/0/attachments/0")).get("privateIPv4Address")).isEqualTo("10.0.0.4");
    }

    @Test
    void aFullSubnetInTheInstancesZoneStopsTheTaskAndFreesItsPlace() {
        // A type EC2 does not list (a Stevedore host's) has no interface limit; the /28's eleven
        // addresses are the limit here.
        String host = ecs.registerInstance("default", 4096, 8192, "us-east-1c", "stevedore.host", VpcFixture.AWSVPC_CAPABLE);
        List<JsonNode> tasks = new ArrayList<>();
        run(10, "\"subnet-small\"", "").path("tasks").forEach(tasks::add);
        run(2, "\"subnet-small\"", "").path("tasks").forEach(tasks::add);
        assertThat(tasks).hasSize(12);
        assertThat(tasks.subList(0, 11)).allMatch(t -> "PROVISIONING".equals(t.path("lastStatus").asText()));
        JsonNode failed = tasks.get(11);
        assertThat(failed.path("lastStatus").asText()).isEqualTo("STOPPED");
        assertThat(failed.path("stopCode").asText()).isEqualTo("TaskFailedToStart");
        assertThat(failed.path("stoppedReason").asText()).isEqualTo("Unexpected EC2 error while attempting to "
                + "Create Network Interface in subnet 'subnet-small': InsufficientFreeAddressesInSubnet");
        assertThat(VpcFixture.claims(ecs.store, "subnet-small")).hasSize(11);
        await().untilAsserted(() -> assertThat(ecs.call("DescribeContainerInstances",
                        "{\"containerInstances\": [\"" + host + "\"]}").at("/containerInstances/0/pendingTasksCount")
                .asInt()).as("the stopped task holds nothing").isEqualTo(11));
    }

    @Test
    void badNetworkRequestsAreRefusedAndChangeNothing() {
        m5Large("us-east-1a");
        var publicIp = ecs.fails("RunTask", """
                {"taskDefinition": "api", "launchType": "EC2", "networkConfiguration": {"awsvpcConfiguration":
                 {"subnets": ["subnet-a"], "assignPublicIp": "ENABLED"}}}""", "InvalidParameterException");
        assertThat(publicIp.getMessage()).isEqualTo("Assign public IP is not supported for this launch type.");
        var missing = ecs.fails("RunTask", "{\"taskDefinition\": \"api\"}", "InvalidParameterException");
        assertThat(missing.getMessage())
                .isEqualTo("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        ecs.fails("RunTask", """
                {"taskDefinition": "api", "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-nope"]}}}""",
                "InvalidParameterException");
        ecs.fails("StartTask", """
                {"taskDefinition": "api", "containerInstances": ["nope"], "networkConfiguration":
                 {"awsvpcConfiguration": {"subnets": ["subnet-a"], "assignPublicIp": "ENABLED"}}}""",
                "InvalidParameterException");
        ecs.call("RegisterTaskDefinition", """
                {"family": "bridge", "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 64}]}""");
        var notAwsvpc = ecs.fails("RunTask", """
                {"taskDefinition": "bridge", "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a"]}}}""",
                "InvalidParameterException");
        assertThat(notAwsvpc.getMessage()).contains("not valid for the given networkMode");
        assertThat(ecs.call("ListTasks", "{}").path("taskArns")).isEmpty();
        assertThat(ecs.store.range(Ec2Keys.networkInterfaces(VpcFixture.SCOPE))).isEmpty();
    }

    private void attachment(String attachmentArn, String status) {
        ecs.call("SubmitAttachmentStateChanges", """
                {"cluster": "default", "attachments": [{"attachmentArn": "%s", "status": "%s"}]}"""
                .formatted(attachmentArn, status));
    }

    private void taskState(String arn, String status) {
        ecs.call("SubmitTaskStateChange", """
                {"cluster": "default", "task": "%s", "status": "%s"}""".formatted(arn, status));
    }

    private JsonNode describe(String arn) {
        return ecs.call("DescribeTasks", "{\"tasks\": [\"" + arn + "\"]}").at("/tasks/0");
    }
}
