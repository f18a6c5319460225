package dev.stevedore.agent.runtime;

import java.util.Map;
import java.util.Objects;

/**
 * A container's Docker logging driver (json-file, syslog, none, ...) and its options, as a task
 * definition's {@code logConfiguration} gives them.
 */
public record LogConfig(String driver, Map<String, String> options) {
    public LogConfig {
        Objects.requireNonNull(driver, "driver");
        options = Map.copyOf(options);
    }
}
