package dev.stevedore.server;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.host.AgentConfig;
import dev.stevedore.agent.host.AgentHost;
import dev.stevedore.agent.host.AgentStartException;
import dev.stevedore.agent.runtime.DockerContainerRuntime;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The agent {@code stevedore up} runs inside its own process, so that the machine is a container
 * instance of the {@code default} cluster from the first minute. Its state lives in
 * {@value #DIRECTORY}/ under the server's data directory.
 */
final class LocalAgent implements AutoCloseable {
    static final String DIRECTORY = "agent";
    static final String CLUSTER = "default";

    private final AgentHost agent;
    private final DockerContainerRuntime runtime;

    private LocalAgent(AgentHost agent, DockerContainerRuntime runtime) {
        this.agent = agent;
        this.runtime = runtime;
    }

    /**
     * Starts the agent against {@code plane}; empty, with the reason in {@code problem}, when it cannot
     * (no reachable Docker engine, most often), since the control plane is useful without it.
     */
    static Optional<LocalAgent> start(ControlPlane plane, RootCredentials credentials, StringBuilder problem)
            throws InterruptedException {
        ControlPlaneConfig config = plane.config();
        Path dataDir = config.dataDir().resolve(DIRECTORY);
        AgentConfig agentConfig = AgentConfig.of(URI.create(plane.endpoint()), config.region(),
                AgentCredentials.of(credentials.accessKeyId(), credentials.secretAccessKey()), CLUSTER, dataDir);
        DockerContainerRuntime runtime = DockerContainerRuntime.connectDefault();
        try {
            return Optional.of(new LocalAgent(AgentHost.start(agentConfig, runtime, Clock.systemUTC()), runtime));
        } catch (AgentStartException e) {
            runtime.close();
            problem.append(e.getMessage()).append(" at ").append(runtime.dockerHost());
            return Optional.empty();
        }
    }

    String containerInstanceArn() {
        return agent.containerInstanceArn();
    }

    @Override
    public void close() {
        agent.close();
        runtime.close();
    }
}
