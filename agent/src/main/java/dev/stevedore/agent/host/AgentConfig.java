package dev.stevedore.agent.host;

import dev.stevedore.agent.api.CredentialSource;
import dev.stevedore.agent.channel.ChannelClientSettings;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How to run one agent: which control plane and cluster it joins, where it keeps its state, and
 * what it registers.
 *
 * @param endpoint   the control plane's ECS endpoint
 * @param region     the Region the endpoint serves; requests are signed for it
 * @param credentials the keys every request is signed with: fixed ones from the environment, or a
 *                   joined agent's instance-role credentials, refreshed in the background
 * @param dataDir    the agent's own directory (several agents on one host need one each)
 * @param attributes custom attributes, and overrides of {@code ecs.availability-zone} and
 *                   {@code ecs.instance-type}
 * @param cpu        CPU units to register instead of the host's cores × 1024
 * @param memoryMiB  memory to register instead of the host's memory less a small reserve
 * @param instanceId the EC2-style instance id to register instead of the one kept in the data directory
 * @param taskEndpointPort where on 127.0.0.1 the task endpoints (169.254.170.2) are served;
 *                   {@code 0} for a free port (what {@link #of} gives, since several agents on one
 *                   host, tests among them, need a port each); the command line's default is
 *                   {@value #DEFAULT_TASK_ENDPOINT_PORT}, ECS's
 * @param moreEndpoints the control plane's other replicas, tried in turn after {@code endpoint}
 * @param imageRegistry the control plane's image registry ({@code host:port}, its ECR): images
 *                   there are pulled with a token of ECR's {@code GetAuthorizationToken}
 */
public record AgentConfig(URI endpoint, String region, CredentialSource credentials, String cluster, Path dataDir,
                          Map<String, String> attributes, OptionalInt cpu, OptionalInt memoryMiB,
                          Optional<String> instanceId, ChannelClientSettings channel, int taskEndpointPort,
                          List<URI> moreEndpoints, Optional<String> imageRegistry) {

    /** The ECS agent's port for the task endpoints. */
    public static final int DEFAULT_TASK_ENDPOINT_PORT = 51679;

    public AgentConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(dataDir, "dataDir");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(memoryMiB, "memoryMiB");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(channel, "channel");
        moreEndpoints = List.copyOf(moreEndpoints);
        Objects.requireNonNull(imageRegistry, "imageRegistry");
        if (taskEndpointPort < 0 || taskEndpointPort > 65535) {
            throw new IllegalArgumentException("task endpoint port must be 0 to 65535, got " + taskEndpointPort);
        }
        if (cluster.isBlank()) {
            throw new IllegalArgumentException("cluster must not be blank");
        }
        cpu.ifPresent(v -> positive(v, "cpu"));
        memoryMiB.ifPresent(v -> positive(v, "memory"));
    }

    /** An agent with everything else detected from the host, and its task endpoints on a free port. */
    public static AgentConfig of(URI endpoint, String region, CredentialSource credentials, String cluster,
                                 Path dataDir) {
        return new AgentConfig(endpoint, region, credentials, cluster, dataDir, Map.of(), OptionalInt.empty(),
                OptionalInt.empty(), Optional.empty(), ChannelClientSettings.defaults(), 0, List.of(), Optional.empty());
    }

    public AgentConfig withAttributes(Map<String, String> value) {
        return new AgentConfig(endpoint, region, credentials, cluster, dataDir, value, cpu, memoryMiB, instanceId, channel, taskEndpointPort, moreEndpoints, imageRegistry);
    }

    public AgentConfig withResources(OptionalInt cpuUnits, OptionalInt memory) {
        return new AgentConfig(endpoint, region, credentials, cluster, dataDir, attributes, cpuUnits, memory, instanceId,
                channel, taskEndpointPort, moreEndpoints, imageRegistry);
    }

    public AgentConfig withInstanceId(Optional<String> value) {
        return new AgentConfig(endpoint, region, credentials, cluster, dataDir, attributes, cpu, memoryMiB, value, channel, taskEndpointPort, moreEndpoints, imageRegistry);
    }

    public AgentConfig withChannel(ChannelClientSettings value) {
        return new AgentConfig(endpoint, region, credentials, cluster, dataDir, attributes, cpu, memoryMiB, instanceId,
                value, taskEndpointPort, moreEndpoints, imageRegistry);
    }

    public AgentConfig withTaskEndpointPort(int value) {
        return new AgentConfig(endpoint, region, credentials, cluster, dataDir, attributes, cpu, memoryMiB, instanceId,
                channel, value, moreEndpoints, imageRegistry);
    }

    /** The same agent, also knowing the control plane's other replicas: it moves to the next when one stops answering. */
    public AgentConfig withMoreEndpoints(List<URI> value) {
        return new AgentConfig(endpoint, region, credentials, cluster, dataDir, attributes, cpu, memoryMiB, instanceId,
                channel, taskEndpointPort, value, imageRegistry);
    }

    /** The same agent, pulling the images of the control plane's registry at {@code host:port} with ECR tokens. */
    public AgentConfig withImageRegistry(Optional<String> value) {
        return new AgentConfig(endpoint, region, credentials, cluster, dataDir, attributes, cpu, memoryMiB, instanceId,
                channel, taskEndpointPort, moreEndpoints, value);
    }

    /** Every control plane endpoint the agent knows, {@link #endpoint} first. */
    public List<URI> endpoints() {
        List<URI> all = new java.util.ArrayList<>();
        all.add(endpoint);
        all.addAll(moreEndpoints);
        return List.copyOf(all);
    }

    private static void positive(int value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }
}
