package dev.stevedore.agent.runtime;

import java.util.Objects;

/**
 * Mounts every volume of another container (ECS {@code volumesFrom}).
 *
 * @param container the source container's engine name or id
 */
public record VolumeFrom(String container, boolean readOnly) {

    public VolumeFrom {
        Objects.requireNonNull(container, "container");
        if (container.isBlank()) {
            throw new IllegalArgumentException("volumesFrom container must not be blank");
        }
    }
}
