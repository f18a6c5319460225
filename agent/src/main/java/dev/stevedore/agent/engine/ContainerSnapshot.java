package dev.stevedore.agent.engine;

import dev.stevedore.model.ecs.NetworkBinding;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One container of a {@link TaskSnapshot}.
 *
 * @param runtimeId    the Docker container id, once created
 * @param lastStatus   {@code PENDING}, {@code RUNNING} or {@code STOPPED}
 * @param healthStatus {@code HEALTHY}, {@code UNHEALTHY} or {@code UNKNOWN}
 */
public record ContainerSnapshot(
        String name,
        boolean essential,
        Optional<String> runtimeId,
        String lastStatus,
        OptionalInt exitCode,
        Optional<String> reason,
        String healthStatus,
        List<NetworkBinding> networkBindings) {

    public ContainerSnapshot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(runtimeId, "runtimeId");
        Objects.requireNonNull(lastStatus, "lastStatus");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(healthStatus, "healthStatus");
        networkBindings = List.copyOf(networkBindings);
    }
}
