package dev.stevedore.agent.runtime;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Link;
import com.github.dockerjava.api.model.NetworkSettings;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.VolumesFrom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/** Translation between the port's values and docker-java's model; pure, so it is unit-tested. */
final class DockerMapping {

    private static final long MIB = 1024L * 1024L;

    private DockerMapping() {}

    /** Fills a create-container command from a spec. */
    static CreateContainerCmd applySpec(CreateContainerCmd cmd, ContainerSpec spec) {
        cmd.withName(spec.name())
                .withImage(spec.image())
                .withLabels(spec.labels())
                .withEnv(spec.environment().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .sorted()
                        .toList())
                .withHostConfig(hostConfig(spec));
        if (!spec.command().isEmpty()) {
            cmd.withCmd(spec.command());
        }
        if (!spec.entryPoint().isEmpty()) {
            cmd.withEntrypoint(spec.entryPoint());
        }
        spec.workingDirectory().ifPresent(cmd::withWorkingDir);
        spec.user().ifPresent(cmd::withUser);
        spec.hostname().ifPresent(cmd::withHostName);
        // The engine applies both to the endpoint on the network named by the network mode.
        spec.address().ifPresent(a -> cmd.withIpv4Address(a.ipv4Address()).withMacAddress(a.macAddress()));
        // On the default bridge the engine gives the container's endpoint the configured MAC address.
        spec.bridgeMacAddress().ifPresent(cmd::withMacAddress);
        spec.healthCheck().ifPresent(h -> cmd.withHealthcheck(new com.github.dockerjava.api.model.HealthCheck()
                .withTest(h.command())
                .withInterval(h.interval().toNanos())
                .withTimeout(h.timeout().toNanos())
                .withRetries(h.retries())
                .withStartPeriod(h.startPeriod().toNanos())));
        spec.stopTimeout().ifPresent(t -> cmd.withStopTimeout(seconds(t)));
        List<ExposedPort> exposed = exposedPorts(spec);
        if (!exposed.isEmpty()) {
            cmd.withExposedPorts(exposed);
        }
        return cmd;
    }

    static HostConfig hostConfig(ContainerSpec spec) {
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(spec.networkMode().dockerValue())
                .withPrivileged(spec.privileged())
                .withReadonlyRootfs(spec.readonlyRootFilesystem());
        spec.cpuShares().ifPresent(host::withCpuShares);
        spec.memoryMiB().ifPresent(mib -> host.withMemory(mib * MIB));
        spec.memoryReservationMiB().ifPresent(mib -> host.withMemoryReservation(mib * MIB));
        if (!spec.ulimits().isEmpty()) {
            host.withUlimits(spec.ulimits().stream()
                    .map(u -> new com.github.dockerjava.api.model.Ulimit(u.name(), u.softLimit(), u.hardLimit()))
                    .toList());
        }
        if (!spec.links().isEmpty()) {
            host.withLinks(spec.links().stream().map(l -> new Link(l.container(), l.alias())).toList());
        }
        // In host mode the container uses the host's ports directly; the engine would only warn
        // about bindings and drop them.
        if (!spec.portMappings().isEmpty() && !(spec.networkMode() instanceof NetworkMode.Host)) {
            Ports ports = new Ports();
            for (PortMapping p : spec.portMappings()) {
                ports.bind(exposedPort(p), binding(p));
            }
            host.withPortBindings(ports);
        }
        if (!spec.mountPoints().isEmpty()) {
            host.withBinds(spec.mountPoints().stream()
                    .map(m -> new Bind(m.source(), new Volume(m.containerPath()), accessMode(m.readOnly())))
                    .toList());
        }
        if (!spec.volumesFrom().isEmpty()) {
            host.withVolumesFrom(spec.volumesFrom().stream()
                    .map(v -> new VolumesFrom(v.container(), accessMode(v.readOnly())))
                    .toList());
        }
        spec.cgroupParent().ifPresent(host::withCgroupParent);
        spec.logConfig().ifPresent(log -> host.withLogConfig(new com.github.dockerjava.api.model.LogConfig(
                com.github.dockerjava.api.model.LogConfig.LoggingType.fromValue(log.driver()), log.options())));
        if (!spec.dnsServers().isEmpty()) {
            host.withDns(spec.dnsServers());
        }
        if (!spec.extraHosts().isEmpty()) {
            host.withExtraHosts(spec.extraHosts().stream()
                    .map(h -> h.hostname() + ":" + h.ipAddress())
                    .toArray(String[]::new));
        }
        return host;
    }

    private static List<ExposedPort> exposedPorts(ContainerSpec spec) {
        return spec.portMappings().stream().map(DockerMapping::exposedPort).distinct().toList();
    }

    private static ExposedPort exposedPort(PortMapping p) {
        return new ExposedPort(p.containerPort(), p.protocol() == Protocol.UDP ? InternetProtocol.UDP : InternetProtocol.TCP);
    }

    private static Ports.Binding binding(PortMapping p) {
        // An empty host port asks the engine for a free ephemeral one; an empty address binds all.
        String hostPort = p.dynamicHostPort() ? "" : Integer.toString(p.hostPort());
        return new Ports.Binding(p.hostIp().orElse(""), hostPort);
    }

    private static AccessMode accessMode(boolean readOnly) {
        return readOnly ? AccessMode.ro : AccessMode.rw;
    }

    /** Whole seconds, rounded up so a sub-second grace period is not turned into an instant kill. */
    static int seconds(Duration d) {
        long s = d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0);
        return (int) Math.min(Integer.MAX_VALUE, s);
    }

    /** The status of an inspected container. */
    static ContainerStatus status(InspectContainerResponse r) {
        InspectContainerResponse.ContainerState state = r.getState();
        ContainerState lifecycle = ContainerState.fromDocker(state == null ? null : state.getStatus());
        OptionalInt exitCode = OptionalInt.empty();
        if (lifecycle.terminal() && state.getExitCodeLong() != null) {
            exitCode = OptionalInt.of(state.getExitCodeLong().intValue());
        }
        HealthState health = state == null ? null : state.getHealth();
        ContainerConfig config = r.getConfig();
        HostConfig host = r.getHostConfig();
        return new ContainerStatus(
                r.getId(),
                stripSlash(r.getName()),
                config == null || config.getImage() == null ? "" : config.getImage(),
                orEmpty(r.getImageId()),
                lifecycle,
                exitCode,
                state == null ? Optional.empty() : timestamp(state.getStartedAt()),
                state == null ? Optional.empty() : timestamp(state.getFinishedAt()),
                state != null && Boolean.TRUE.equals(state.getOOMKilled()),
                HealthStatus.fromDocker(health == null ? null : health.getStatus()),
                portBindings(r.getNetworkSettings()),
                ipAddresses(r.getNetworkSettings()),
                config == null || config.getLabels() == null ? Map.of() : config.getLabels(),
                limits(host),
                state == null ? Optional.empty() : Optional.ofNullable(state.getError()).filter(s -> !s.isBlank()),
                timestamp(r.getCreated()));
    }

    private static ContainerStatus.Limits limits(HostConfig host) {
        if (host == null) {
            return new ContainerStatus.Limits(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());
        }
        return new ContainerStatus.Limits(
                positive(host.getCpuShares() == null ? 0 : host.getCpuShares()),
                positive(mib(host.getMemory())),
                positive(mib(host.getMemoryReservation())));
    }

    private static int mib(Long bytes) {
        return bytes == null ? 0 : (int) (bytes / MIB);
    }

    private static OptionalInt positive(int value) {
        return value > 0 ? OptionalInt.of(value) : OptionalInt.empty();
    }

    static List<PortBinding> portBindings(NetworkSettings settings) {
        if (settings == null || settings.getPorts() == null) {
            return List.of();
        }
        List<PortBinding> out = new ArrayList<>();
        for (Map.Entry<ExposedPort, Ports.Binding[]> e : settings.getPorts().getBindings().entrySet()) {
            if (e.getValue() == null) {
                continue; // exposed by the image but not published
            }
            Protocol protocol = Protocol.fromWireName(e.getKey().getProtocol().toString());
            for (Ports.Binding b : e.getValue()) {
                parsePort(b.getHostPortSpec()).ifPresent(hostPort -> out.add(
                        new PortBinding(e.getKey().getPort(), protocol, orEmpty(b.getHostIp()), hostPort)));
            }
        }
        out.sort(Comparator.comparingInt(PortBinding::containerPort)
                .thenComparing(PortBinding::protocol)
                .thenComparing(PortBinding::hostIp));
        return out;
    }

    private static Map<String, String> ipAddresses(NetworkSettings settings) {
        Map<String, String> out = new TreeMap<>();
        if (settings != null && settings.getNetworks() != null) {
            for (Map.Entry<String, ContainerNetwork> e : settings.getNetworks().entrySet()) {
                String ip = e.getValue() == null ? null : e.getValue().getIpAddress();
                if (ip != null && !ip.isBlank()) {
                    out.put(e.getKey(), ip);
                }
            }
        }
        return out;
    }

    private static Optional<Integer> parsePort(String spec) {
        if (spec == null || spec.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(spec.strip()));
        } catch (NumberFormatException rangeOrGarbage) {
            return Optional.empty();
        }
    }

    /**
     * Parses the engine's RFC 3339 times; the engine reports "never" as year 1
     * ({@code 0001-01-01T00:00:00Z}).
     */
    static Optional<Instant> timestamp(String value) {
        if (value == null || value.isBlank() || value.startsWith("0001-")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The event for an engine event, if it is one of the kinds passed on. */
    static Optional<ContainerEvent> event(Event e) {
        String action = e.getAction() != null ? e.getAction() : e.getStatus();
        if (action == null || e.getActor() == null || e.getActor().getId() == null) {
            return Optional.empty();
        }
        Map<String, String> attributes = e.getActor().getAttributes() == null ? Map.of() : e.getActor().getAttributes();
        OptionalInt exitCode = OptionalInt.empty();
        Optional<HealthStatus> health = Optional.empty();
        ContainerEvent.Type type;
        // Health events carry the new status in the action itself: "health_status: healthy".
        if (action.startsWith("health_status")) {
            type = ContainerEvent.Type.HEALTH_STATUS;
            int colon = action.indexOf(':');
            health = Optional.of(HealthStatus.fromDocker(colon < 0 ? null : action.substring(colon + 1)));
        } else {
            switch (action) {
                case "start" -> type = ContainerEvent.Type.START;
                case "die" -> {
                    type = ContainerEvent.Type.DIE;
                    try {
                        exitCode = OptionalInt.of(Integer.parseInt(attributes.getOrDefault("exitCode", "")));
                    } catch (NumberFormatException missing) {
                        exitCode = OptionalInt.empty();
                    }
                }
                case "oom" -> type = ContainerEvent.Type.OOM;
                case "destroy" -> type = ContainerEvent.Type.DESTROY;
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new ContainerEvent(
                type, e.getActor().getId(), attributes.getOrDefault("name", ""), eventTime(e), exitCode, health, attributes));
    }

    static Instant eventTime(Event e) {
        if (e.getTimeNano() != null && e.getTimeNano() > 0) {
            return Instant.ofEpochSecond(0, e.getTimeNano());
        }
        return Instant.ofEpochSecond(e.getTime() == null ? 0 : e.getTime());
    }

    private static String stripSlash(String name) {
        if (name == null) {
            return "";
        }
        return name.startsWith("/") ? name.substring(1) : name;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
