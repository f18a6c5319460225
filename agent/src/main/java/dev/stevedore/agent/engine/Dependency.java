package dev.stevedore.agent.engine;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One container waiting for another before it starts: an ECS {@code dependsOn} entry, or the
 * implicit START dependency that {@code links} and {@code volumesFrom} create (the engine can
 * only link to, or share the volumes of, a container that exists).
 */
record Dependency(String containerName, Condition condition) {

    /** ECS {@code ContainerCondition}. */
    enum Condition {
        /** The dependency has started. */
        START,
        /** The dependency has exited, with any code. */
        COMPLETE,
        /** The dependency has exited with code 0. */
        SUCCESS,
        /** The dependency's health check has passed. */
        HEALTHY;

        static Optional<Condition> parse(String value) {
            return Arrays.stream(values()).filter(c -> c.name().equals(value)).findFirst();
        }
    }

    Dependency {
        Objects.requireNonNull(containerName, "containerName");
        Objects.requireNonNull(condition, "condition");
    }
}
