package dev.stevedore.control.sts;

import java.util.Objects;
import java.util.Optional;

/** What a joined agent is given: instance-role credentials, the role, and the cluster its token names. */
public record AgentSession(TemporaryCredentials credentials, String roleArn, Optional<String> cluster) {
    public AgentSession {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(roleArn, "roleArn");
        Objects.requireNonNull(cluster, "cluster");
    }
}
