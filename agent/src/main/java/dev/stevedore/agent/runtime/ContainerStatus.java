package dev.stevedore.agent.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A container as the engine sees it at one moment: what the task engine reports as a container's
 * known status, and what it adopts after an agent restart.
 *
 * @param name        the engine's name, without Docker's leading slash
 * @param exitCode    present once the container has exited
 * @param startedAt   absent until it first started
 * @param finishedAt  absent until it first exited; for a process that ends at once the engine may
 *                    record it a little before {@code startedAt}
 * @param portBindings the host ports actually published (dynamic ones resolved)
 * @param ipAddresses container address per Docker network it is attached to
 * @param error       the engine's error when it failed to start the process
 * @param createdAt   when the engine created it
 */
public record ContainerStatus(
        String id,
        String name,
        String image,
        String imageId,
        ContainerState state,
        OptionalInt exitCode,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt,
        boolean oomKilled,
        HealthStatus health,
        List<PortBinding> portBindings,
        Map<String, String> ipAddresses,
        Map<String, String> labels,
        Limits limits,
        Optional<String> error,
        Optional<Instant> createdAt) {

    /**
     * The resource limits the engine applied; absent ones are unlimited or the engine's default.
     */
    public record Limits(OptionalInt cpuShares, OptionalInt memoryMiB, OptionalInt memoryReservationMiB) {
        public Limits {
            Objects.requireNonNull(cpuShares, "cpuShares");
            Objects.requireNonNull(memoryMiB, "memoryMiB");
            Objects.requireNonNull(memoryReservationMiB, "memoryReservationMiB");
        }
    }

    public ContainerStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(health, "health");
        portBindings = List.copyOf(portBindings);
        ipAddresses = Map.copyOf(ipAddresses);
        labels = Map.copyOf(labels);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean running() {
        return state == ContainerState.RUNNING;
    }

    /**
     * The host port published for a container port, preferring an IPv4 binding; empty when the
     * port is not published.
     */
    public OptionalInt hostPort(int containerPort, Protocol protocol) {
        return portBindings.stream()
                .filter(b -> b.containerPort() == containerPort && b.protocol() == protocol)
                .sorted((a, b) -> Boolean.compare(a.hostIp().contains(":"), b.hostIp().contains(":")))
                .mapToInt(PortBinding::hostPort)
                .findFirst();
    }
}
