package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.ContainerStatus;
import dev.stevedore.agent.runtime.PortBinding;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.NetworkBinding;
import dev.stevedore.model.ecs.PortMapping;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Folds what the engine reports about a container into its record (pure). */
final class Observations {

    static final String REMOVED_REASON = "Docker container was removed outside of the agent";
    static final String OOM_REASON = "OutOfMemoryError: Container killed due to memory usage";

    private Observations() {}

    /**
     * The record after inspecting the container. Only containers the engine created and has not
     * seen stop are watched; a stopped container stays stopped whatever happens to it later,
     * because a task's status never goes back.
     *
     * @param status      the inspection, or empty when the engine no longer has the container
     * @param networkMode the task's network mode
     * @param definition  the container's definition, for the bindings of host mode
     */
    static ContainerRecord observe(ContainerRecord c, Optional<ContainerStatus> status, String networkMode,
            ContainerDefinition definition) {
        if (c.phase() != ContainerPhase.CREATED && c.phase() != ContainerPhase.RUNNING) {
            return c;
        }
        if (status.isEmpty()) {
            return c.exited(false, OptionalInt.empty(), Optional.of(REMOVED_REASON), c.health());
        }
        ContainerStatus s = status.get();
        return switch (s.state()) {
            case RUNNING, PAUSED, RESTARTING -> c.running(s.health(), bindings(s, networkMode, definition));
            case EXITED, DEAD -> c.exited(s.startedAt().isPresent(), s.exitCode(), exitReason(c, s), s.health());
            // Being removed by someone else: it will be gone in a moment, and it was not the agent.
            case REMOVING -> c.exited(s.startedAt().isPresent(), s.exitCode(), Optional.of(REMOVED_REASON), s.health());
            case CREATED, UNKNOWN -> c.withHealth(s.health());
        };
    }

    private static Optional<String> exitReason(ContainerRecord c, ContainerStatus s) {
        if (s.oomKilled()) {
            return Optional.of(OOM_REASON);
        }
        if (!c.started() && s.startedAt().isEmpty() && s.error().isPresent()) {
            return Optional.of("CannotStartContainerError: " + s.error().get());
        }
        return Optional.empty();
    }

    /**
     * The ECS network bindings: what the engine published in bridge mode; in host mode the
     * container uses the host's ports directly, which the engine does not list.
     */
    static List<NetworkBinding> bindings(ContainerStatus s, String networkMode, ContainerDefinition definition) {
        if (networkMode.equals("host")) {
            return hostBindings(definition);
        }
        return s.portBindings().stream().map(Observations::binding).toList();
    }

    /** In host mode a container listens on the host's ports themselves, as its definition names them. */
    static List<NetworkBinding> hostBindings(ContainerDefinition definition) {
        List<PortMapping> mappings = definition.portMappings() == null ? List.of() : definition.portMappings();
        return mappings.stream()
                .filter(m -> m.containerPort() != null)
                .map(m -> NetworkBinding.builder()
                        .bindIP("0.0.0.0")
                        .containerPort(m.containerPort())
                        .hostPort(m.containerPort())
                        .protocol(protocol(m.protocol()))
                        .build())
                .toList();
    }

    private static NetworkBinding binding(PortBinding b) {
        return NetworkBinding.builder()
                .bindIP(b.hostIp().isEmpty() ? "0.0.0.0" : b.hostIp())
                .containerPort(b.containerPort())
                .hostPort(b.hostPort())
                .protocol(b.protocol().wireName())
                .build();
    }

    private static String protocol(String value) {
        return "udp".equals(value) ? "udp" : "tcp";
    }
}
