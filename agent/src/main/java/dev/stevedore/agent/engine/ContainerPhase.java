package dev.stevedore.agent.engine;

/** Where one container of a task is in its life, as the engine tracks it. */
enum ContainerPhase {
    /** Not created in the engine (yet, or ever). */
    NONE,
    /** Created but its process has not run. */
    CREATED,
    RUNNING,
    /** Exited, failed to start, was removed, or was never going to run. Final. */
    STOPPED;

    WireStatus wire() {
        return switch (this) {
            case NONE, CREATED -> WireStatus.PENDING;
            case RUNNING -> WireStatus.RUNNING;
            case STOPPED -> WireStatus.STOPPED;
        };
    }

    /** Whether the container waits for the engine to start it. */
    boolean startable() {
        return this == NONE || this == CREATED;
    }
}
