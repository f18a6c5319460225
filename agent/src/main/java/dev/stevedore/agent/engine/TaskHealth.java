package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.HealthStatus;
import java.util.List;

/** Health in ECS terms: per container from the engine's health, and aggregated for a task (pure). */
final class TaskHealth {

    static final String HEALTHY = "HEALTHY";
    static final String UNHEALTHY = "UNHEALTHY";
    static final String UNKNOWN = "UNKNOWN";

    /** One container's part in its task's health. */
    record Member(boolean essential, boolean hasHealthCheck, HealthStatus health) {}

    private TaskHealth() {}

    /** ECS reports a container without a check, or whose check has not concluded yet, as UNKNOWN. */
    static String ofContainer(boolean hasHealthCheck, HealthStatus health) {
        if (!hasHealthCheck) {
            return UNKNOWN;
        }
        return switch (health) {
            case HEALTHY -> HEALTHY;
            case UNHEALTHY -> UNHEALTHY;
            case NONE, STARTING -> UNKNOWN;
        };
    }

    /**
     * Only essential containers with a health check count: the task is UNHEALTHY if any of them is,
     * HEALTHY if all of them are (and there is at least one), UNKNOWN otherwise.
     */
    static String ofTask(List<Member> members) {
        List<String> counted = members.stream()
                .filter(m -> m.essential() && m.hasHealthCheck())
                .map(m -> ofContainer(true, m.health()))
                .toList();
        if (counted.contains(UNHEALTHY)) {
            return UNHEALTHY;
        }
        if (!counted.isEmpty() && counted.stream().allMatch(HEALTHY::equals)) {
            return HEALTHY;
        }
        return UNKNOWN;
    }
}
