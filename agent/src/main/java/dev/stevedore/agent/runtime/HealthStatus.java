package dev.stevedore.agent.runtime;

/**
 * A container's health as the engine judges it. ECS reports {@link #NONE} and {@link #STARTING}
 * as {@code UNKNOWN}.
 */
public enum HealthStatus {
    /** The container has no health check. */
    NONE,
    STARTING,
    HEALTHY,
    UNHEALTHY;

    /** Reads the engine's spelling; unknown or missing values are {@link #NONE}. */
    public static HealthStatus fromDocker(String status) {
        if (status == null) {
            return NONE;
        }
        return switch (status.trim()) {
            case "starting" -> STARTING;
            case "healthy" -> HEALTHY;
            case "unhealthy" -> UNHEALTHY;
            default -> NONE;
        };
    }
}
