package dev.stevedore.agent.runtime;

import java.util.Map;
import java.util.Objects;

/**
 * A Docker named volume to create: the engine's counterpart of an ECS
 * {@code dockerVolumeConfiguration}.
 */
public record VolumeSpec(String name, String driver, Map<String, String> driverOptions, Map<String, String> labels) {

    public VolumeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(driver, "driver");
        if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new IllegalArgumentException("invalid volume name: " + name);
        }
        if (driver.isBlank()) {
            throw new IllegalArgumentException("volume driver must not be blank");
        }
        driverOptions = Map.copyOf(driverOptions);
        labels = Map.copyOf(labels);
    }

    /** A volume of the built-in {@code local} driver. */
    public static VolumeSpec local(String name, Map<String, String> labels) {
        return new VolumeSpec(name, "local", Map.of(), labels);
    }
}
