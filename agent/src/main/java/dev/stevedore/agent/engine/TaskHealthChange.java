package dev.stevedore.agent.engine;

import java.util.Map;
import java.util.Objects;

/**
 * The health of a running task's containers, each {@code HEALTHY}, {@code UNHEALTHY} or
 * {@code UNKNOWN} as ECS spells it: what the agent observes. The task's own health is the control
 * plane's to derive, from the essential containers of the task definition.
 *
 * @param containers health per container name
 */
public record TaskHealthChange(String cluster, String task, Map<String, String> containers) {

    public TaskHealthChange {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(task, "task");
        containers = Map.copyOf(containers);
    }
}
