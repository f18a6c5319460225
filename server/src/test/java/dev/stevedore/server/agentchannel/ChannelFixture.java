package dev.stevedore.server.agentchannel;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.channel.AgentChannelClient;
import dev.stevedore.agent.channel.ChannelClientSettings;
import dev.stevedore.agent.channel.ChannelUrlSigner;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.server.ControlPlane;
import dev.stevedore.server.ControlPlaneConfig;
import dev.stevedore.server.RootCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Resource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A real control plane in the test JVM (SQLite on a temporary directory, a free port), the AWS SDK
 * pointed at it, and agent channel clients whose "engine" only records what it is given.
 */
final class ChannelFixture implements AutoCloseable {
    static final String ACCESS_KEY = "AKIASTEVEDORECHANNEL";
    static final String SECRET_KEY = "channel/test/secret/0123456789abcdefghijk";
    static final String REGION = "us-east-1";
    static final String ACCOUNT = "123456789012";
    /** Quick pings and reconnects, so that the tests about them finish in seconds. */
    static final AgentChannelSettings FAST = AgentChannelSettings.defaults()
            .withPings(Duration.ofMillis(200), Duration.ofSeconds(1));
    static final ChannelClientSettings FAST_CLIENT = ChannelClientSettings.defaults()
            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(300))
            .withIdleTimeout(Duration.ofSeconds(3));

    final Path dataDir;
    private final AgentChannelSettings settings;
    private final List<AutoCloseable> agents = new ArrayList<>();
    private ControlPlane plane;
    private EcsClient ecs;

    private ChannelFixture(Path dataDir, AgentChannelSettings settings, int port) {
        this.dataDir = dataDir;
        this.settings = settings;
        this.plane = ControlPlane.start(config(port));
        this.ecs = client();
    }

    static ChannelFixture start(Path dataDir) {
        return new ChannelFixture(dataDir, FAST, 0);
    }

    static ChannelFixture start(Path dataDir, AgentChannelSettings settings) {
        return new ChannelFixture(dataDir, settings, 0);
    }

    private ControlPlaneConfig config(int port) {
        return new ControlPlaneConfig("127.0.0.1", port, dataDir, REGION, ACCOUNT,
                new RootCredentials(ACCESS_KEY, SECRET_KEY, RootCredentials.Source.ENVIRONMENT), settings);
    }

    private EcsClient client() {
        return EcsClient.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    EcsClient ecs() {
        return ecs;
    }

    ControlPlane plane() {
        return plane;
    }

    URI endpoint() {
        return URI.create(plane.endpoint());
    }

    /** Stops the control plane and starts a new one on the same data directory and port. */
    void restart() {
        int port = plane.port();
        ecs.close();
        plane.close();
        plane = ControlPlane.start(config(port));
        ecs = client();
    }

    /** Registers a container instance in the cluster (through the SDK, as an agent would); returns its ARN. */
    String registerInstance(String cluster) {
        return ecs.registerContainerInstance(r -> r.cluster(cluster)
                .totalResources(
                        Resource.builder().name("CPU").type("INTEGER").integerValue(2048).build(),
                        Resource.builder().name("MEMORY").type("INTEGER").integerValue(4096).build(),
                        Resource.builder().name("PORTS").type("STRINGSET").stringSetValue("22").build(),
                        Resource.builder().name("PORTS_UDP").type("STRINGSET").stringSetValue(List.of()).build()))
                .containerInstance().containerInstanceArn();
    }

    ContainerInstance describe(String cluster, String arn) {
        return ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(arn))
                .containerInstances().getFirst();
    }

    boolean agentConnected(String cluster, String arn) {
        return describe(cluster, arn).agentConnected();
    }

    /** Starts an agent channel client for the instance that records every desired state it is given. */
    RecordingEngine connectAgent(String arn) {
        RecordingEngine engine = new RecordingEngine();
        engine.client = agentClient(arn, engine).start();
        agents.add(engine.client);
        return engine;
    }

    AgentChannelClient agentClient(String arn, Consumer<DesiredTasks> consumer) {
        // DiscoverPollEndpoint is the server's own endpoint; asking the fixture follows restarts.
        return new AgentChannelClient(arn, this::endpoint, signer(SECRET_KEY), consumer, FAST_CLIENT);
    }

    ChannelUrlSigner signer(String secret) {
        return new ChannelUrlSigner(AgentCredentials.of(ACCESS_KEY, secret), REGION, Duration.ofMinutes(1),
                Clock.systemUTC());
    }

    /** What the fake task engine was given, in order. */
    static final class RecordingEngine implements Consumer<DesiredTasks> {
        final List<DesiredTasks> received = new CopyOnWriteArrayList<>();
        AgentChannelClient client;

        @Override
        public void accept(DesiredTasks desired) {
            received.add(desired);
        }

        DesiredTasks latest() {
            return received.isEmpty() ? null : received.getLast();
        }
    }

    @Override
    public void close() {
        for (AutoCloseable agent : agents) {
            try {
                agent.close();
            } catch (Exception e) {
                // Closing the rest matters more.
            }
        }
        ecs.close();
        plane.close();
    }
}
