package dev.stevedore.agent.runtime;

import java.util.Objects;

/** An extra line in the container's {@code /etc/hosts} (ECS {@code extraHosts}). */
public record ExtraHost(String hostname, String ipAddress) {

    public ExtraHost {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(ipAddress, "ipAddress");
        if (hostname.isBlank() || ipAddress.isBlank()) {
            throw new IllegalArgumentException("extra host name and address must not be blank");
        }
    }
}
