package dev.stevedore.agent.runtime;

import java.util.Objects;
import java.util.Optional;

/**
 * A container port to publish on the host.
 *
 * @param hostPort 0 asks the engine for a free port from the host's ephemeral range (ECS dynamic
 *                 host port)
 * @param hostIp   the host address to bind; empty binds every interface (IPv4 and IPv6), which is
 *                 what ECS does in bridge mode
 */
public record PortMapping(int containerPort, int hostPort, Protocol protocol, Optional<String> hostIp) {

    public PortMapping {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(hostIp, "hostIp");
        checkPort(containerPort, 1, "containerPort");
        checkPort(hostPort, 0, "hostPort");
        hostIp.ifPresent(ip -> {
            if (ip.isBlank()) {
                throw new IllegalArgumentException("hostIp must not be blank; leave it empty for all interfaces");
            }
        });
    }

    /** A TCP port published on a dynamic host port on every interface. */
    public static PortMapping tcp(int containerPort) {
        return new PortMapping(containerPort, 0, Protocol.TCP, Optional.empty());
    }

    /** A TCP port published on the given host port on every interface. */
    public static PortMapping tcp(int containerPort, int hostPort) {
        return new PortMapping(containerPort, hostPort, Protocol.TCP, Optional.empty());
    }

    /** A UDP port published on the given host port (0: dynamic) on every interface. */
    public static PortMapping udp(int containerPort, int hostPort) {
        return new PortMapping(containerPort, hostPort, Protocol.UDP, Optional.empty());
    }

    /** This mapping bound to one host address only. */
    public PortMapping onHostIp(String ip) {
        return new PortMapping(containerPort, hostPort, protocol, Optional.of(ip));
    }

    public boolean dynamicHostPort() {
        return hostPort == 0;
    }

    private static void checkPort(int port, int min, String what) {
        if (port < min || port > 65535) {
            throw new IllegalArgumentException(what + " out of range: " + port);
        }
    }
}
