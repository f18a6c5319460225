package dev.stevedore.server;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.host.AgentConfig;
import dev.stevedore.agent.host.AgentHost;
import dev.stevedore.agent.host.AgentStartException;
import dev.stevedore.agent.runtime.DockerContainerRuntime;

import dev.stevedore.control.ecs.fargate.PlatformPool;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The agents {@code stevedore up} runs inside its own process, so that the machine is a container
 * instance of the {@code default} cluster from the first minute, and (unless turned off) Fargate
 * capacity too: a second agent gives the machine to the platform pool, where FARGATE tasks of every
 * cluster run. Their state lives in {@value #DIRECTORY}/ and {@value #PLATFORM_DIRECTORY}/ under the
 * server's data directory.
 *
 * <p>Both agents register the whole machine: on one machine the {@code default} cluster and the
 * Fargate pool share it, each able to fill it (the kernel, not the scheduler, then arbitrates).
 */
final class LocalAgent implements AutoCloseable {
    static final String DIRECTORY = "agent";
    static final String PLATFORM_DIRECTORY = "agent-fargate";
    static final String CLUSTER = "default";

    private final AgentHost agent;
    private final DockerContainerRuntime runtime;
    private final Optional<LocalAgent> platform;

    private LocalAgent(AgentHost agent, DockerContainerRuntime runtime, Optional<LocalAgent> platform) {
        this.agent = agent;
        this.runtime = runtime;
        this.platform = platform;
    }

    /**
     * Starts the agent (and the platform host, with {@code fargate}) against {@code plane}; empty,
     * with the reason in {@code problem}, when it cannot (no reachable Docker engine, most often),
     * since the control plane is useful without it.
     */
    static Optional<LocalAgent> start(ControlPlane plane, RootCredentials credentials, boolean fargate,
                                      StringBuilder problem) throws InterruptedException {
        Optional<LocalAgent> ec2 = startOne(plane, credentials, CLUSTER, DIRECTORY, Optional.empty(), problem);
        if (ec2.isEmpty() || !fargate) {
            return ec2;
        }
        Optional<LocalAgent> pool = startOne(plane, credentials, PlatformPool.CLUSTER, PLATFORM_DIRECTORY,
                Optional.empty(), problem);
        LocalAgent first = ec2.get();
        return Optional.of(new LocalAgent(first.agent, first.runtime, pool));
    }

    private static Optional<LocalAgent> startOne(ControlPlane plane, RootCredentials credentials, String cluster,
                                                 String directory, Optional<LocalAgent> platform,
                                                 StringBuilder problem) throws InterruptedException {
        ControlPlaneConfig config = plane.config();
        Path dataDir = config.dataDir().resolve(directory);
        AgentConfig agentConfig = AgentConfig.of(URI.create(plane.endpoint()), config.region(),
                AgentCredentials.of(credentials.accessKeyId(), credentials.secretAccessKey()), cluster, dataDir);
        DockerContainerRuntime runtime = DockerContainerRuntime.connectDefault();
        try {
            return Optional.of(new LocalAgent(AgentHost.start(agentConfig, runtime, Clock.systemUTC()), runtime,
                    platform));
        } catch (AgentStartException e) {
            runtime.close();
            problem.append(e.getMessage()).append(" at ").append(runtime.dockerHost());
            return Optional.empty();
        }
    }

    String containerInstanceArn() {
        return agent.containerInstanceArn();
    }

    /** The platform host's container instance, when the machine is Fargate capacity too. */
    Optional<String> platformInstanceArn() {
        return platform.map(LocalAgent::containerInstanceArn);
    }

    @Override
    public void close() {
        platform.ifPresent(LocalAgent::close);
        agent.close();
        runtime.close();
    }
}
