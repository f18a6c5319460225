package dev.stevedore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AwsRegions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.Tag;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every standard AWS Region is served, each a namespace of its own as on AWS: what is made in one
 * Region is neither listed nor found in another, and its ARNs carry its Region. Driven by the AWS
 * SDK for Java v2 configured for each Region and by the AWS CLI with {@code --region}.
 */
class RegionsIT {
    static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "eu-central-1");
    static InProcessStevedore stevedore;
    static List<EcsClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        stevedore = InProcessStevedore.start();
        for (String region : REGIONS) {
            clients.add(stevedore.ecsIn(region));
        }
    }

    @AfterAll
    static void stop() {
        clients.forEach(EcsClient::close);
        stevedore.close();
    }

    @Test
    void clustersOfTheSameNameInThreeRegionsAreThreeClustersThatNeverSeeEachOther() {
        for (int i = 0; i < REGIONS.size(); i++) {
            String region = REGIONS.get(i);
            Cluster created = clients.get(i).createCluster(b -> b.clusterName("orders")
                    .tags(Tag.builder().key("region").value(region).build())).cluster();
            assertThat(created.clusterArn()).isEqualTo(InProcessStevedore.arnIn(region, "cluster/orders"));
        }

        for (int i = 0; i < REGIONS.size(); i++) {
            String region = REGIONS.get(i);
            EcsClient ecs = clients.get(i);
            assertThat(ecs.listClusters().clusterArns()).as(region)
                    .contains(InProcessStevedore.arnIn(region, "cluster/orders"))
                    .allMatch(arn -> arn.startsWith("arn:aws:ecs:" + region + ":"));
            Cluster orders = ecs.describeClusters(b -> b.clusters("orders").include(
                    software.amazon.awssdk.services.ecs.model.ClusterField.TAGS)).clusters().get(0);
            assertThat(orders.tags()).containsExactly(Tag.builder().key("region").value(region).build());
        }
        // Another Region's ARN names no cluster here.
        var other = clients.get(2).describeClusters(b -> b.clusters(InProcessStevedore.arnIn("us-east-2", "cluster/orders")));
        assertThat(other.clusters()).isEmpty();
        assertThat(other.failures()).extracting(f -> f.reason()).containsExactly("MISSING");
    }

    @Test
    void deletingInOneRegionLeavesTheOthersAlone() {
        clients.get(1).createCluster(b -> b.clusterName("temp"));
        clients.get(2).createCluster(b -> b.clusterName("temp"));

        clients.get(1).deleteCluster(b -> b.cluster("temp"));

        assertThat(clients.get(2).describeClusters(b -> b.clusters("temp")).clusters())
                .extracting(Cluster::status).containsExactly("ACTIVE");
        assertThat(clients.get(1).listClusters().clusterArns())
                .doesNotContain(InProcessStevedore.arnIn("us-east-2", "cluster/temp"));
    }

    @Test
    void theDefaultClusterOfTheStartUpRegionIsNotTheDefaultClusterOfAnother() {
        assertThat(clients.get(0).describeClusters(b -> b.clusters("default")).clusters()).hasSize(1);
        // In other Regions `default` exists once someone (an agent joining it, or a user) creates it.
        assertThat(clients.get(2).describeClusters(b -> b.clusters("default")).failures())
                .extracting(f -> f.reason()).containsExactly("MISSING");
        assertThatThrownBy(() -> clients.get(2).listTasks(b -> { }))
                .isInstanceOf(ClusterNotFoundException.class).hasMessageContaining("Cluster not found.");
    }

    @Test
    void taskDefinitionFamiliesCountTheirRevisionsPerRegion() {
        for (EcsClient ecs : clients.subList(1, 3)) {
            ecs.registerTaskDefinition(b -> b.family("regional").containerDefinitions(c -> c.name("app")
                    .image("busybox").memory(32)));
        }
        clients.get(1).registerTaskDefinition(b -> b.family("regional").containerDefinitions(c -> c.name("app")
                .image("busybox").memory(32)));

        assertThat(clients.get(1).describeTaskDefinition(b -> b.taskDefinition("regional")).taskDefinition()
                .taskDefinitionArn()).isEqualTo(InProcessStevedore.arnIn("us-east-2", "task-definition/regional:2"));
        assertThat(clients.get(2).describeTaskDefinition(b -> b.taskDefinition("regional")).taskDefinition()
                .taskDefinitionArn()).isEqualTo(InProcessStevedore.arnIn("eu-central-1", "task-definition/regional:1"));
        assertThat(clients.get(0).listTaskDefinitionFamilies(b -> b.familyPrefix("regional")).families()).isEmpty();
    }

    @Test
    void anInstanceJoinsTheClusterOfTheRegionItsCallsAreSignedFor() {
        clients.get(1).createCluster(b -> b.clusterName("hosts"));
        clients.get(2).createCluster(b -> b.clusterName("hosts"));

        ContainerInstance joined = clients.get(1).registerContainerInstance(b -> b.cluster("hosts")
                .totalResources(Resource.builder().name("CPU").type("INTEGER").integerValue(1024).build(),
                        Resource.builder().name("MEMORY").type("INTEGER").integerValue(2048).build()))
                .containerInstance();

        assertThat(joined.containerInstanceArn()).startsWith("arn:aws:ecs:us-east-2:" + InProcessStevedore.ACCOUNT
                + ":container-instance/hosts/");
        assertThat(clients.get(1).listContainerInstances(b -> b.cluster("hosts")).containerInstanceArns())
                .containsExactly(joined.containerInstanceArn());
        assertThat(clients.get(2).listContainerInstances(b -> b.cluster("hosts")).containerInstanceArns()).isEmpty();
    }

    @Test
    void theCliWithRegionSeesOnlyThatRegion() {
        AwsCli ohio = new AwsCli(stevedore.plane.endpoint(), "us-east-2");
        AwsCli frankfurt = new AwsCli(stevedore.plane.endpoint(), "eu-central-1");
        ohio.ok("ecs", "create-cluster", "--cluster-name", "cli-ohio");

        JsonNode inOhio = ohio.ok("ecs", "list-clusters");
        JsonNode inFrankfurt = frankfurt.ok("ecs", "list-clusters");
        JsonNode viaFlag = frankfurt.ok("--region", "us-east-2", "ecs", "describe-clusters", "--clusters", "cli-ohio");

        assertThat(inOhio.get("clusterArns").toString()).contains(InProcessStevedore.arnIn("us-east-2", "cluster/cli-ohio"));
        assertThat(inFrankfurt.get("clusterArns").toString()).doesNotContain("cli-ohio");
        assertThat(viaFlag.at("/clusters/0/clusterArn").asText())
                .isEqualTo(InProcessStevedore.arnIn("us-east-2", "cluster/cli-ohio"));
    }

    @Test
    void aNameThatIsNoRegionIsRefusedAsAwsRefusesIt() {
        try (EcsClient nowhere = stevedore.ecsIn("xx-nowhere-1")) {
            assertThatThrownBy(nowhere::listClusters).isInstanceOfSatisfying(EcsException.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Credential should be scoped to a valid region, not 'xx-nowhere-1'. ");
            });
        }
        AwsCli.Result cli = new AwsCli(stevedore.plane.endpoint(), "xx-nowhere-1").run("ecs", "list-clusters");
        assertThat(cli.exitCode()).isNotZero();
        assertThat(cli.stderr()).contains("InvalidSignatureException")
                .contains("Credential should be scoped to a valid region");
    }

    @Test
    void anEndpointRestrictedToSomeRegionsRefusesTheOthers() throws IOException {
        try (InProcessStevedore two = InProcessStevedore.start(Files.createTempDirectory("stevedore-regions"),
                config -> config.withRegions(AwsRegions.only(List.of("us-east-1", "us-east-2"))));
             EcsClient ohio = two.ecsIn("us-east-2");
             EcsClient frankfurt = two.ecsIn("eu-central-1")) {
            assertThat(ohio.listClusters().clusterArns()).isEmpty();
            assertThatThrownBy(frankfurt::listClusters).isInstanceOfSatisfying(EcsException.class, e ->
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Credential should be scoped to a valid region, not 'eu-central-1'. "));
        }
    }
}
