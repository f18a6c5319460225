package dev.stevedore.agent.runtime;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A Docker network as the engine reports it; {@code subnets} are its IPAM blocks in CIDR notation. */
public record NetworkInfo(String id, String name, String driver, List<String> subnets, Map<String, String> labels) {

    public NetworkInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(driver, "driver");
        subnets = List.copyOf(subnets);
        labels = Map.copyOf(labels);
    }
}
