package dev.stevedore.control.ecs.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ecs.fargate.VpcFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An awsvpc service on the cluster's own instances (the EC2 launch type): each task gets an address
 * of the subnet in its instance's zone, and a subnet that does not exist is refused up front.
 */
class Ec2AwsvpcServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private ServiceFixture f;

    @BeforeEach
    void setUp() {
        f = new ServiceFixture();
        f.call("RegisterTaskDefinition", """
                {"family": "vpc-web", "networkMode": "awsvpc", "requiresCompatibilities": ["EC2"],
                 "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 64, "essential": true}]}""");
        VpcFixture.subnet(f.ecs.store, "subnet-a", "vpc-1", "us-east-1a", "10.0.0.0/24");
        VpcFixture.subnet(f.ecs.store, "subnet-b", "vpc-1", "us-east-1b", "10.0.1.0/24");
        VpcFixture.securityGroup(f.ecs.store, "sg-default", "vpc-1", "default");
        // Instances that can run awsvpc tasks, in the subnets' zones (the fixture's own ones cannot).
        f.ecs.registerInstance("c", 4096, 8192, "us-east-1a", "m5.xlarge", VpcFixture.AWSVPC_CAPABLE);
        f.ecs.registerInstance("c", 4096, 8192, "us-east-1b", "m5.xlarge", VpcFixture.AWSVPC_CAPABLE);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void eachTaskGetsAnAddressOfTheSubnetInItsInstancesZone() {
        f.call("CreateService", """
                {"cluster": "c", "serviceName": "vpc", "taskDefinition": "vpc-web", "desiredCount": 4,
                 "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a", "subnet-b"]}}}""");
        await().atMost(WAIT).until(() -> f.stable("vpc") && f.tasks("vpc").size() == 4);
        List<JsonNode> tasks = new ArrayList<>();
        for (String arn : f.tasks("vpc")) {
            tasks.add(f.call("DescribeTasks", "{\"cluster\": \"c\", \"tasks\": [\"" + arn + "\"]}").at("/tasks/0"));
        }
        List<String> addresses = new ArrayList<>();
        for (JsonNode t : tasks) {
            assertThat(t.path("launchType").asText()).isEqualTo("EC2");
            assertThat(t.path("containerInstanceArn").asText()).isNotEmpty();
            String zone = t.path("availabilityZone").asText();
            String subnet = detail(t, "subnetId");
            assertThat(subnet).isEqualTo(zone.equals("us-east-1a") ? "subnet-a" : "subnet-b");
            addresses.add(detail(t, "privateIPv4Address"));
        }
        assertThat(addresses).doesNotHaveDuplicates().hasSize(4);
    }

    @Test
    void aSubnetThatDoesNotExistIsRefusedAndNothingIsMade() {
        var error = f.ecs.fails("CreateService", """
                {"cluster": "c", "serviceName": "vpc", "taskDefinition": "vpc-web", "desiredCount": 1,
                 "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-nope"]}}}""",
                "InvalidParameterException");
        assertThat(error.getMessage()).contains("InvalidSubnetID.NotFound");
        assertThat(f.call("ListServices", "{\"cluster\": \"c\"}").path("serviceArns")).isEmpty();
    }

    private static String detail(JsonNode task, String name) {
        for (JsonNode d : task.at("/attachments/0/details")) {
            if (name.equals(d.path("name").asText())) {
                return d.path("value").asText();
            }
        }
        return "";
    }
}
