package dev.stevedore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.channel.AgentChannelClient;
import dev.stevedore.agent.channel.ChannelClientSettings;
import dev.stevedore.agent.channel.ChannelUrlSigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * FARGATE tasks take their addresses from the user's subnets, and EC2 shows it: the subnet's free
 * address count falls, each task's interface is listed, and the subnet cannot be deleted while they
 * hold addresses. The platform host is registered and connected as an agent would be, but nothing
 * runs its tasks, so they stay PROVISIONING (no Docker needed). ECS through the SDK, EC2 through the
 * AWS CLI.
 */
class FargateSubnetsIT {
    private static final String PLATFORM = "fargate.platform";

    static InProcessStevedore stevedore;
    static AwsCli aws;
    static EcsClient ecs;
    static Ec2Client ec2;
    static AgentChannelClient platformAgent;

    @BeforeAll
    static void start() {
        stevedore = InProcessStevedore.start();
        aws = new AwsCli(stevedore.plane.endpoint());
        ecs = stevedore.ecs();
        ec2 = stevedore.ec2();
        String host = ecs.registerContainerInstance(b -> b.cluster(PLATFORM)
                .instanceIdentityDocument("{\"instanceId\": \"i-0f00000000000000a\", \"availabilityZone\": \"us-east-1a\","
                        + " \"instanceType\": \"m5.xlarge\"}")
                .totalResources(Resource.builder().name("CPU").type("INTEGER").integerValue(4096).build(),
                        Resource.builder().name("MEMORY").type("INTEGER").integerValue(8192).build()))
                .containerInstance().containerInstanceArn();
        // Connected, so the host takes tasks; its desired tasks go nowhere, so none ever starts.
        platformAgent = new AgentChannelClient(host, stevedore::endpoint,
                new ChannelUrlSigner(AgentCredentials.of(InProcessStevedore.ACCESS_KEY, InProcessStevedore.SECRET_KEY),
                        InProcessStevedore.REGION, Duration.ofMinutes(5), Clock.systemUTC()),
                desired -> { }, ChannelClientSettings.defaults()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> stevedore.plane.agentChannel().isConnected(host));
        ecs.registerTaskDefinition(b -> b.family("fargate-web").networkMode(NetworkMode.AWSVPC)
                .requiresCompatibilities(Compatibility.FARGATE).cpu("256").memory("512")
                .containerDefinitions(c -> c.name("app").image("busybox").essential(true)));
    }

    @AfterAll
    static void stop() {
        platformAgent.close();
        ec2.close();
        ecs.close();
        stevedore.close();
    }

    @Test
    void tasksHoldAddressesOfTheirSubnetThatEc2Shows() {
        String vpcId = aws.ok("ec2", "create-vpc", "--cidr-block", "10.90.0.0/16").at("/Vpc/VpcId").asText();
        JsonNode created = aws.ok("ec2", "create-subnet", "--vpc-id", vpcId, "--cidr-block", "10.90.1.0/28",
                "--availability-zone", "us-east-1a");
        String subnetId = created.at("/Subnet/SubnetId").asText();
        assertThat(created.at("/Subnet/AvailableIpAddressCount").asInt()).as("16 less AWS's five").isEqualTo(11);
        String groupId = aws.ok("ec2", "create-security-group", "--group-name", "fargate-web", "--description", "tasks",
                "--vpc-id", vpcId).path("GroupId").asText();

        List<Task> tasks = runUntilPlaced(subnetId, 1, List.of(groupId));
        JsonNode more = aws.ok("ecs", "run-task", "--task-definition", "fargate-web", "--launch-type", "FARGATE",
                "--count", "2", "--network-configuration",
                "awsvpcConfiguration={subnets=[" + subnetId + "],securityGroups=[" + groupId + "],assignPublicIp=DISABLED}");
        assertThat(more.get("failures")).isEmpty();
        List<String> arns = new ArrayList<>(List.of(tasks.getFirst().taskArn()));
        more.get("tasks").forEach(t -> arns.add(t.path("taskArn").asText()));
        List<Task> described = ecs.describeTasks(b -> b.tasks(arns)).tasks();
        assertThat(described).hasSize(3).allSatisfy(t -> {
            assertThat(t.lastStatus()).isEqualTo("PROVISIONING");
            assertThat(t.availabilityZone()).isEqualTo("us-east-1a");
        });

        JsonNode subnet = aws.ok("ec2", "describe-subnets", "--subnet-ids", subnetId);
        assertThat(subnet.at("/Subnets/0/AvailableIpAddressCount").asInt()).isEqualTo(11 - 3);

        JsonNode interfaces = aws.ok("ec2", "describe-network-interfaces", "--filters", "Name=subnet-id,Values=" + subnetId);
        Map<String, JsonNode> byId = new HashMap<>();
        interfaces.get("NetworkInterfaces").forEach(n -> byId.put(n.path("NetworkInterfaceId").asText(), n));
        assertThat(byId).hasSize(3);
        for (Task task : described) {
            var attachment = task.attachments().getFirst();
            assertThat(attachment.type()).isEqualTo("ElasticNetworkInterface");
            Map<String, String> details = new HashMap<>();
            attachment.details().forEach((KeyValuePair d) -> details.put(d.name(), d.value()));
            JsonNode eni = byId.get(details.get("networkInterfaceId"));
            assertThat(eni).as("the interface of %s", task.taskArn()).isNotNull();
            assertThat(eni.path("PrivateIpAddress").asText()).isEqualTo(details.get("privateIPv4Address"))
                    .startsWith("10.90.1.");
            assertThat(eni.path("MacAddress").asText()).isEqualTo(details.get("macAddress"));
            assertThat(eni.path("Description").asText()).isEqualTo(stevedore.arn("attachment/" + attachment.id()));
            assertThat(eni.path("RequesterManaged").asBoolean()).isTrue();
            assertThat(eni.path("Status").asText()).isEqualTo("in-use");
            assertThat(eni.path("InterfaceType").asText()).isEqualTo("interface");
            assertThat(eni.path("VpcId").asText()).isEqualTo(vpcId);
            assertThat(eni.path("AvailabilityZone").asText()).isEqualTo("us-east-1a");
            assertThat(eni.at("/Groups/0/GroupId").asText()).isEqualTo(groupId);
        }
        assertThat(byId.values()).extracting(n -> n.path("PrivateIpAddress").asText()).doesNotHaveDuplicates();

        AccountState before = AccountState.of(ec2);
        String refused = aws.fails("DependencyViolation", "ec2", "delete-subnet", "--subnet-id", subnetId);
        assertThat(refused).contains(subnetId);
        aws.fails("DependencyViolation", "ec2", "delete-security-group", "--group-id", groupId);
        aws.fails("DependencyViolation", "ec2", "delete-vpc", "--vpc-id", vpcId);
        assertThat(AccountState.of(ec2)).isEqualTo(before);
    }

    @Test
    void addressesComeBackOnceTheTasksHaveStoppedAndThenTheSubnetCanBeDeleted() {
        String vpcId = ec2.createVpc(b -> b.cidrBlock("10.91.0.0/16")).vpc().vpcId();
        String subnetId = ec2.createSubnet(b -> b.vpcId(vpcId).cidrBlock("10.91.1.0/28").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        List<Task> tasks = runUntilPlaced(subnetId, 2, List.of());
        assertThat(tasks).hasSize(2);
        assertThat(freeAddresses(subnetId)).isEqualTo(11 - 2);

        for (Task task : tasks) {
            ecs.stopTask(b -> b.task(task.taskArn()).reason("done"));
            // What the platform host's agent reports: the task's containers are gone, then its interface.
            ecs.submitTaskStateChange(b -> b.cluster(PLATFORM).task(task.taskArn()).status("STOPPED"));
            String attachmentArn = stevedore.arn("attachment/" + task.attachments().getFirst().id());
            ecs.submitAttachmentStateChanges(b -> b.cluster(PLATFORM)
                    .attachments(a -> a.attachmentArn(attachmentArn).status("DETACHED")));
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(freeAddresses(subnetId)).isEqualTo(11));
        assertThat(aws.ok("ec2", "describe-network-interfaces", "--filters", "Name=subnet-id,Values=" + subnetId)
                .get("NetworkInterfaces")).isEmpty();
        assertThat(ecs.describeTasks(b -> b.tasks(tasks.stream().map(Task::taskArn).toList())).tasks())
                .extracting(Task::lastStatus).containsOnly("STOPPED");
        aws.ok("ec2", "delete-subnet", "--subnet-id", subnetId);
        aws.ok("ec2", "delete-vpc", "--vpc-id", vpcId);
    }

    /**
     * Runs {@code count} tasks in the subnet with {@code groups} (none: the VPC's default group). The scheduler learns of
     * the platform host's connection on its own time, so RunTask is asked again until it places
     * them: a refusal for want of capacity holds no address.
     */
    private static List<Task> runUntilPlaced(String subnetId, int count, List<String> groups) {
        List<Task> placed = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            RunTaskResponse answer = ecs.runTask(b -> b.taskDefinition("fargate-web").launchType(LaunchType.FARGATE)
                    .count(count).networkConfiguration(n -> n.awsvpcConfiguration(v -> {
                        v.subnets(subnetId);
                        if (!groups.isEmpty()) {
                            v.securityGroups(groups);
                        }
                    })));
            placed.addAll(answer.tasks());
            return !answer.tasks().isEmpty();
        });
        return placed;
    }

    private static int freeAddresses(String subnetId) {
        return ec2.describeSubnets(b -> b.subnetIds(subnetId)).subnets().getFirst().availableIpAddressCount();
    }
}
