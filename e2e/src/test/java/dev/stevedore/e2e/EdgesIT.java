package dev.stevedore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.Resource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Registration from an EC2 instance identity document alone, and the empty-list and unknown-cluster
 * edges, through the AWS SDK for Java v2 and the AWS CLI as code written against AWS calls them.
 */
class EdgesIT {
    static final String M5_XLARGE = "{\"instanceId\": \"i-0a1b2c3d4e5f60718\", \"instanceType\": \"m5.xlarge\", "
            + "\"region\": \"us-east-1\", \"availabilityZone\": \"us-east-1c\", \"architecture\": \"x86_64\", "
            + "\"imageId\": \"ami-0123456789abcdef0\", \"accountId\": \"123456789012\"}";
    static InProcessStevedore stevedore;
    static EcsClient ecs;
    static AwsCli aws;

    @BeforeAll
    static void start() {
        stevedore = InProcessStevedore.start();
        ecs = stevedore.ecs();
        aws = new AwsCli(stevedore.plane.endpoint());
    }

    @AfterAll
    static void stop() {
        ecs.close();
        stevedore.close();
    }

    @Test
    void anInstanceRegisteredFromAnM5XlargeIdentityDocumentHasItsCpuAndMemory() {
        ecs.createCluster(b -> b.clusterName("from-document"));
        ContainerInstance instance = ecs.registerContainerInstance(b -> b.cluster("from-document")
                .instanceIdentityDocument(M5_XLARGE).instanceIdentityDocumentSignature("signature")).containerInstance();

        Map<String, Resource> registered = instance.registeredResources().stream()
                .collect(Collectors.toMap(Resource::name, r -> r));
        assertThat(registered.get("CPU").integerValue()).isEqualTo(4 * 1024);
        assertThat(registered.get("MEMORY").integerValue()).isEqualTo(16 * 1024);
        assertThat(registered.get("PORTS").stringSetValue()).containsExactly("22", "2375", "2376", "51678", "51679");
        assertThat(registered.get("PORTS_UDP").stringSetValue()).isEmpty();
        assertThat(instance.remainingResources()).isEqualTo(instance.registeredResources());
        assertThat(instance.ec2InstanceId()).isEqualTo("i-0a1b2c3d4e5f60718");
        assertThat(instance.attributes()).anySatisfy(a -> {
            assertThat(a.name()).isEqualTo("ecs.instance-type");
            assertThat(a.value()).isEqualTo("m5.xlarge");
        });
    }

    @Test
    void theCliRegistersFromTheDocumentTooAndAnUnknownTypeIsRefusedClearly() {
        aws.ok("ecs", "create-cluster", "--cluster-name", "from-document-cli");
        JsonNode out = aws.ok("ecs", "register-container-instance", "--cluster", "from-document-cli",
                "--instance-identity-document", M5_XLARGE.replace("i-0a1b2c3d4e5f60718", "i-0a1b2c3d4e5f60719")
                        .replace("m5.xlarge", "c5.2xlarge"));
        assertThat(out.at("/containerInstance/registeredResources/0/integerValue").asInt()).isEqualTo(8 * 1024);
        assertThat(out.at("/containerInstance/registeredResources/1/integerValue").asInt()).isEqualTo(16 * 1024);

        AwsCli.Result unknown = aws.run("ecs", "register-container-instance", "--cluster", "from-document-cli",
                "--instance-identity-document", "{\"instanceId\": \"i-0a1b2c3d4e5f6071a\", \"instanceType\": \"z9.giant\"}");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("ClientException")
                .contains("The instance type 'z9.giant' of the instance identity document is not an EC2 instance type");
        assertThatThrownBy(() -> ecs.registerContainerInstance(b -> b.cluster("from-document-cli")))
                .isInstanceOf(ClientException.class)
                .hasMessageStartingWith("totalResources must include the CPU and MEMORY resources");
    }

    @Test
    void describingNothingIsInvalidAndAnUnknownClusterIsNotFound() {
        assertThatThrownBy(() -> ecs.describeTasks(b -> b.tasks(List.of())))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Tasks cannot be empty.");
        assertThatThrownBy(() -> ecs.describeContainerInstances(b -> b.containerInstances(List.of())))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Container instance cannot be empty.");
        assertThatThrownBy(() -> ecs.describeTasks(b -> b.cluster("nowhere").tasks("0123456789abcdef0123456789abcdef")))
                .isInstanceOf(ClusterNotFoundException.class).hasMessageStartingWith("Cluster not found.");
        assertThatThrownBy(() -> ecs.describeContainerInstances(b -> b.cluster("nowhere")
                .containerInstances("0123456789abcdef0123456789abcdef")))
                .isInstanceOf(ClusterNotFoundException.class).hasMessageStartingWith("Cluster not found.");
    }

    @Test
    void theCliSeesTheSameErrors() {
        AwsCli.Result tasks = aws.run("ecs", "describe-tasks", "--cli-input-json", "{\"tasks\": []}");
        AwsCli.Result instances = aws.run("ecs", "describe-container-instances", "--cli-input-json",
                "{\"containerInstances\": []}");
        AwsCli.Result cluster = aws.run("ecs", "describe-tasks", "--cluster", "nowhere", "--tasks", "abc");

        assertThat(tasks.stderr()).contains("(InvalidParameterException) when calling the DescribeTasks operation: "
                + "Tasks cannot be empty.");
        assertThat(instances.stderr()).contains("(InvalidParameterException) when calling the "
                + "DescribeContainerInstances operation: Container instance cannot be empty.");
        assertThat(cluster.stderr()).contains("(ClusterNotFoundException) when calling the DescribeTasks operation: "
                + "Cluster not found.");
    }
}
