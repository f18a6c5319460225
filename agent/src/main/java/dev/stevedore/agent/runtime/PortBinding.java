package dev.stevedore.agent.runtime;

import java.util.Objects;

/**
 * A port the engine actually published for a container: the ECS {@code networkBinding} of a
 * running container. A mapping on every interface yields one binding per address family
 * ({@code 0.0.0.0} and {@code ::}).
 */
public record PortBinding(int containerPort, Protocol protocol, String hostIp, int hostPort) {

    public PortBinding {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(hostIp, "hostIp");
    }
}
