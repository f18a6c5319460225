package dev.stevedore.server;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.host.AgentConfig;
import dev.stevedore.agent.host.AgentHost;
import dev.stevedore.agent.runtime.DockerContainerRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Resource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real agent (registration, task engine on the local Docker engine, channel) against a control
 * plane in this JVM: what it registers, that it counts as connected, and that a restarted agent is
 * the same container instance, not a second one.
 */
class LocalAgentIT {
    private static final String KEY = "AKIASTEVEDORELOCAL01";
    private static final String SECRET = "local/agent/test/secret/0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;
    private ControlPlane plane;
    private EcsClient ecs;
    private DockerContainerRuntime docker;

    @BeforeEach
    void start() {
        plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0, dataDir.resolve("server"), "us-east-1",
                "123456789012", new RootCredentials(KEY, SECRET, RootCredentials.Source.ENVIRONMENT)));
        ecs = EcsClient.builder().endpointOverride(URI.create(plane.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET))).build();
        docker = DockerContainerRuntime.connectDefault();
    }

    @AfterEach
    void stop() {
        ecs.close();
        plane.close();
        docker.close();
    }

    @Test
    void registersTheHostAndIsConnectedWhileRunning() throws Exception {
        AgentConfig config = config("agent-1").withAttributes(Map.of("ecs.availability-zone", "us-east-1b", "team", "web"));
        ContainerInstance instance;
        try (AgentHost agent = AgentHost.start(config, docker, Clock.systemUTC())) {
            await().atMost(WAIT).until(() -> describe(agent.containerInstanceArn()).agentConnected());
            instance = describe(agent.containerInstanceArn());
        }

        Map<String, Resource> resources = instance.registeredResources().stream()
                .collect(Collectors.toMap(Resource::name, r -> r));
        assertThat(resources.get("CPU").integerValue()).isEqualTo(docker.hostInfo().cpuCount() * 1024);
        assertThat(resources.get("MEMORY").integerValue()).isPositive();
        assertThat(resources.get("PORTS").stringSetValue()).contains("22", "2375", "2376", "51678", "51679");
        Map<String, String> attributes = instance.attributes().stream()
                .collect(Collectors.toMap(Attribute::name, a -> a.value() == null ? "" : a.value()));
        assertThat(attributes).containsEntry("ecs.availability-zone", "us-east-1b").containsEntry("team", "web")
                .containsEntry("ecs.os-type", "linux")
                .containsKey("com.amazonaws.ecs.capability.docker-remote-api.1.17");
        assertThat(instance.ec2InstanceId()).matches("i-[0-9a-f]{17}");
        assertThat(instance.versionInfo().dockerVersion()).startsWith("DockerVersion: ");
        await().atMost(WAIT).until(() -> !describe(instance.containerInstanceArn()).agentConnected());
    }

    @Test
    void aRestartedAgentIsTheSameInstanceAndTwoAgentsAreTwo() throws Exception {
        String first;
        try (AgentHost agent = AgentHost.start(config("agent-1"), docker, Clock.systemUTC())) {
            first = agent.containerInstanceArn();
        }
        try (AgentHost again = AgentHost.start(config("agent-1"), docker, Clock.systemUTC());
             AgentHost other = AgentHost.start(config("agent-2").withResources(OptionalInt.of(512), OptionalInt.of(256)),
                     docker, Clock.systemUTC())) {
            assertThat(again.containerInstanceArn()).isEqualTo(first);
            assertThat(other.containerInstanceArn()).isNotEqualTo(first);
            await().atMost(WAIT).until(() -> describe(first).agentConnected()
                    && describe(other.containerInstanceArn()).agentConnected());
            assertThat(ecs.listContainerInstances(r -> r.cluster("default")).containerInstanceArns())
                    .containsExactlyInAnyOrder(first, other.containerInstanceArn());
            assertThat(describe(other.containerInstanceArn()).registeredResources())
                    .filteredOn(r -> r.name().equals("CPU")).extracting(Resource::integerValue).containsExactly(512);
        }
    }

    @Test
    void anAgentOfAnotherRegionCreatesTheDefaultClusterThereJoinsItAndConnects() throws Exception {
        AgentConfig config = AgentConfig.of(URI.create(plane.endpoint()), "eu-west-1", AgentCredentials.of(KEY, SECRET),
                "default", dataDir.resolve("agent-ireland"));
        try (EcsClient ireland = EcsClient.builder().endpointOverride(URI.create(plane.endpoint()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET))).build();
             AgentHost agent = AgentHost.start(config, docker, Clock.systemUTC())) {
            assertThat(agent.containerInstanceArn())
                    .startsWith("arn:aws:ecs:eu-west-1:123456789012:container-instance/default/");
            assertThat(ireland.listClusters().clusterArns())
                    .containsExactly("arn:aws:ecs:eu-west-1:123456789012:cluster/default");
            await().atMost(WAIT).until(() -> ireland.describeContainerInstances(r -> r.cluster("default")
                    .containerInstances(agent.containerInstanceArn())).containerInstances().getFirst().agentConnected());
            // us-east-1's default cluster did not get the instance.
            assertThat(ecs.listContainerInstances(r -> r.cluster("default")).containerInstanceArns()).isEmpty();
        }
    }

    private AgentConfig config(String name) {
        return AgentConfig.of(URI.create(plane.endpoint()), "us-east-1", AgentCredentials.of(KEY, SECRET), "default",
                dataDir.resolve(name));
    }

    private ContainerInstance describe(String arn) {
        return ecs.describeContainerInstances(r -> r.cluster("default").containerInstances(arn))
                .containerInstances().getFirst();
    }
}
