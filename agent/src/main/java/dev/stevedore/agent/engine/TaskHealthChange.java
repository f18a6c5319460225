package dev.stevedore.agent.engine;

import java.util.Map;
import java.util.Objects;

/**
 * The health of a running task and of its containers, each {@code HEALTHY}, {@code UNHEALTHY} or
 * {@code UNKNOWN} as ECS spells it.
 *
 * @param containers health per container name
 */
public record TaskHealthChange(String cluster, String task, String healthStatus, Map<String, String> containers) {

    public TaskHealthChange {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(healthStatus, "healthStatus");
        containers = Map.copyOf(containers);
    }
}
