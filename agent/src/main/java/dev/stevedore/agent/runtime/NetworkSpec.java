package dev.stevedore.agent.runtime;

import java.util.Map;
import java.util.Objects;

/**
 * A user-defined Docker bridge network with a fixed address block: what an {@code awsvpc} subnet
 * becomes on one host.
 *
 * @param name    the engine's network name
 * @param subnet  the IPAM subnet in CIDR notation, e.g. {@code 10.213.7.0/24}
 * @param gateway the bridge's own address inside {@code subnet}, which the host answers on
 */
public record NetworkSpec(String name, String subnet, String gateway, Map<String, String> labels) {

    public NetworkSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(gateway, "gateway");
        labels = Map.copyOf(labels);
        // Docker's reserved names are not user-defined networks.
        new NetworkMode.Network(name);
    }
}
