package dev.stevedore.agent.runtime;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Something that happened to a container, as the engine announced it. Events are hints: after a
 * reconnection one may arrive twice, so the receiver re-reads the container's status rather than
 * counting events.
 *
 * @param exitCode     present on {@link Type#DIE}
 * @param health       present on {@link Type#HEALTH_STATUS}
 * @param attributes   what the engine attached: the container's labels plus {@code name},
 *                     {@code image} and, on {@code die}, {@code exitCode}
 */
public record ContainerEvent(
        Type type,
        String containerId,
        String containerName,
        Instant time,
        OptionalInt exitCode,
        Optional<HealthStatus> health,
        Map<String, String> attributes) {

    /** The kinds of event the runtime passes on. */
    public enum Type {
        START,
        DIE,
        OOM,
        HEALTH_STATUS,
        DESTROY
    }

    public ContainerEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(containerName, "containerName");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(health, "health");
        attributes = Map.copyOf(attributes);
    }
}
