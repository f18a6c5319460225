package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.HealthStatus;

/**
 * A container's health in ECS terms, from the engine's (pure). The task's health is not derived
 * here: the control plane derives it from the task definition's essential containers.
 */
final class TaskHealth {

    static final String HEALTHY = "HEALTHY";
    static final String UNHEALTHY = "UNHEALTHY";
    static final String UNKNOWN = "UNKNOWN";

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
}
