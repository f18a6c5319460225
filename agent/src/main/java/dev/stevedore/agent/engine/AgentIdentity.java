package dev.stevedore.agent.engine;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Who this agent is and where it keeps its state: the cluster and container instance it was
 * registered as, and its data directory (task state lives under {@code tasks/} in it).
 */
public record AgentIdentity(String clusterArn, String containerInstanceArn, Path dataDir) {

    public AgentIdentity {
        Objects.requireNonNull(clusterArn, "clusterArn");
        Objects.requireNonNull(containerInstanceArn, "containerInstanceArn");
        Objects.requireNonNull(dataDir, "dataDir");
        if (clusterArn.isBlank() || containerInstanceArn.isBlank()) {
            throw new IllegalArgumentException("cluster and container instance ARNs must not be blank");
        }
    }
}
