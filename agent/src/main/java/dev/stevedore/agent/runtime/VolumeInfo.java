package dev.stevedore.agent.runtime;

import java.util.Map;
import java.util.Objects;

/** A Docker named volume as the engine reports it; {@code mountpoint} is its path on the host. */
public record VolumeInfo(String name, String driver, String mountpoint, Map<String, String> labels) {

    public VolumeInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(mountpoint, "mountpoint");
        labels = Map.copyOf(labels);
    }
}
