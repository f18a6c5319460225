package dev.stevedore.agent.runtime;

/** The engine's lifecycle state of a container. */
public enum ContainerState {
    CREATED,
    RUNNING,
    PAUSED,
    RESTARTING,
    REMOVING,
    EXITED,
    DEAD,
    /** A state this code does not know (a newer engine). */
    UNKNOWN;

    /** Whether the container's process has ended for good (ECS {@code STOPPED}). */
    public boolean terminal() {
        return this == EXITED || this == DEAD;
    }

    /** Reads the engine's spelling ({@code running}, {@code exited}, ...). */
    public static ContainerState fromDocker(String status) {
        if (status == null) {
            return UNKNOWN;
        }
        return switch (status) {
            case "created" -> CREATED;
            case "running" -> RUNNING;
            case "paused" -> PAUSED;
            case "restarting" -> RESTARTING;
            case "removing" -> REMOVING;
            case "exited" -> EXITED;
            case "dead" -> DEAD;
            default -> UNKNOWN;
        };
    }
}
