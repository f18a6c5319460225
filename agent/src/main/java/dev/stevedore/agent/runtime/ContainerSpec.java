package dev.stevedore.agent.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Everything needed to create one container: an ECS container definition resolved for one task
 * on one host (names of linked containers are engine names, volumes are host paths or Docker volume
 * names, and so on).
 *
 * <p>Empty lists and absent optionals mean "the image's or the engine's default": an empty
 * {@code command} runs the image's {@code CMD}, an absent {@code memoryMiB} sets no hard limit.
 * Build one with {@link #builder(String, String)}.
 *
 * @param name                   the engine's container name, unique on the host
 * @param cpuShares              relative CPU weight (2–262144)
 * @param memoryMiB              hard limit; the kernel kills the container above it
 * @param memoryReservationMiB   soft limit, at most {@code memoryMiB}
 * @param stopTimeout            grace period between SIGTERM and SIGKILL that the engine applies
 *                               when it stops the container on its own
 * @param address                fixed IPv4 and MAC address on the user-defined network of
 *                               {@code networkMode}
 * @param bridgeMacAddress       the MAC address of the container's interface on the engine's
 *                               default bridge, chosen by the caller so that it can match the
 *                               container's traffic before the container exists
 */
public record ContainerSpec(
        String name,
        String image,
        List<String> command,
        List<String> entryPoint,
        Map<String, String> environment,
        Optional<String> workingDirectory,
        Optional<String> user,
        Optional<String> hostname,
        Map<String, String> labels,
        OptionalInt cpuShares,
        OptionalInt memoryMiB,
        OptionalInt memoryReservationMiB,
        List<Ulimit> ulimits,
        List<ContainerLink> links,
        boolean privileged,
        boolean readonlyRootFilesystem,
        List<PortMapping> portMappings,
        NetworkMode networkMode,
        List<MountPoint> mountPoints,
        List<VolumeFrom> volumesFrom,
        Optional<String> cgroupParent,
        Optional<HealthCheck> healthCheck,
        Optional<Duration> stopTimeout,
        List<String> dnsServers,
        List<ExtraHost> extraHosts,
        Optional<LogConfig> logConfig,
        Optional<NetworkAddress> address,
        Optional<String> bridgeMacAddress) {

    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");

    /** Docker's rule for container names. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    /** The smallest hard limit Docker accepts. */
    public static final int MIN_MEMORY_MIB = 6;

    public ContainerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid container name: " + name);
        }
        if (image.isBlank()) {
            throw new IllegalArgumentException("image must not be blank");
        }
        command = List.copyOf(command);
        entryPoint = List.copyOf(entryPoint);
        environment = Map.copyOf(environment);
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(hostname, "hostname");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(cpuShares, "cpuShares");
        Objects.requireNonNull(memoryMiB, "memoryMiB");
        Objects.requireNonNull(memoryReservationMiB, "memoryReservationMiB");
        ulimits = List.copyOf(ulimits);
        links = List.copyOf(links);
        portMappings = List.copyOf(portMappings);
        Objects.requireNonNull(networkMode, "networkMode");
        mountPoints = List.copyOf(mountPoints);
        volumesFrom = List.copyOf(volumesFrom);
        Objects.requireNonNull(cgroupParent, "cgroupParent");
        Objects.requireNonNull(healthCheck, "healthCheck");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        dnsServers = List.copyOf(dnsServers);
        extraHosts = List.copyOf(extraHosts);
        Objects.requireNonNull(logConfig, "logConfig");
        Objects.requireNonNull(address, "address");
        if (address.isPresent() && !(networkMode instanceof NetworkMode.Network)) {
            throw new IllegalArgumentException("a fixed address needs a user-defined network, not " + networkMode.dockerValue());
        }
        Objects.requireNonNull(bridgeMacAddress, "bridgeMacAddress");
        if (bridgeMacAddress.isPresent() && !(networkMode instanceof NetworkMode.Bridge)) {
            throw new IllegalArgumentException("a bridge MAC address needs the bridge network mode, not " + networkMode.dockerValue());
        }
        if (bridgeMacAddress.isPresent() && !MAC.matcher(bridgeMacAddress.get()).matches()) {
            throw new IllegalArgumentException("not a MAC address: " + bridgeMacAddress.get());
        }
        validate(cpuShares, memoryMiB, memoryReservationMiB, networkMode, portMappings, links, stopTimeout);
    }

    private static void validate(
            OptionalInt cpuShares,
            OptionalInt memoryMiB,
            OptionalInt memoryReservationMiB,
            NetworkMode networkMode,
            List<PortMapping> portMappings,
            List<ContainerLink> links,
            Optional<Duration> stopTimeout) {
        cpuShares.ifPresent(shares -> {
            if (shares < 2 || shares > 262_144) {
                throw new IllegalArgumentException("cpuShares must be 2..262144: " + shares);
            }
        });
        memoryMiB.ifPresent(mib -> {
            if (mib < MIN_MEMORY_MIB) {
                throw new IllegalArgumentException("memory limit must be at least " + MIN_MEMORY_MIB + " MiB: " + mib);
            }
        });
        memoryReservationMiB.ifPresent(mib -> {
            if (mib < 1) {
                throw new IllegalArgumentException("memory reservation must be positive: " + mib);
            }
            if (memoryMiB.isPresent() && mib > memoryMiB.getAsInt()) {
                throw new IllegalArgumentException(
                        "memory reservation " + mib + " MiB exceeds the hard limit " + memoryMiB.getAsInt() + " MiB");
            }
        });
        // The engine rejects published ports on a network stack the container does not own.
        if (!portMappings.isEmpty()
                && (networkMode instanceof NetworkMode.None || networkMode instanceof NetworkMode.Container)) {
            throw new IllegalArgumentException("port mappings are not possible in network mode " + networkMode.dockerValue());
        }
        if (networkMode instanceof NetworkMode.Host) {
            for (PortMapping p : portMappings) {
                if (!p.dynamicHostPort() && p.hostPort() != p.containerPort()) {
                    throw new IllegalArgumentException("in host mode hostPort must equal containerPort: " + p);
                }
            }
        }
        if (!links.isEmpty() && !(networkMode instanceof NetworkMode.Bridge)) {
            throw new IllegalArgumentException("links work only in bridge mode");
        }
        stopTimeout.ifPresent(t -> {
            if (t.isNegative()) {
                throw new IllegalArgumentException("stopTimeout must not be negative: " + t);
            }
        });
    }

    public static Builder builder(String name, String image) {
        return new Builder(name, image);
    }

    /** A builder holding this spec's values, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder(name, image);
        b.command = new ArrayList<>(command);
        b.entryPoint = new ArrayList<>(entryPoint);
        b.environment = new LinkedHashMap<>(environment);
        b.workingDirectory = workingDirectory;
        b.user = user;
        b.hostname = hostname;
        b.labels = new LinkedHashMap<>(labels);
        b.cpuShares = cpuShares;
        b.memoryMiB = memoryMiB;
        b.memoryReservationMiB = memoryReservationMiB;
        b.ulimits = new ArrayList<>(ulimits);
        b.links = new ArrayList<>(links);
        b.privileged = privileged;
        b.readonlyRootFilesystem = readonlyRootFilesystem;
        b.portMappings = new ArrayList<>(portMappings);
        b.networkMode = networkMode;
        b.mountPoints = new ArrayList<>(mountPoints);
        b.volumesFrom = new ArrayList<>(volumesFrom);
        b.cgroupParent = cgroupParent;
        b.healthCheck = healthCheck;
        b.stopTimeout = stopTimeout;
        b.dnsServers = new ArrayList<>(dnsServers);
        b.extraHosts = new ArrayList<>(extraHosts);
        b.logConfig = logConfig;
        return b;
    }

    /** Collects the values of a {@link ContainerSpec}; {@link #build()} validates them. */
    public static final class Builder {
        private String name;
        private String image;
        private List<String> command = new ArrayList<>();
        private List<String> entryPoint = new ArrayList<>();
        private Map<String, String> environment = new LinkedHashMap<>();
        private Optional<String> workingDirectory = Optional.empty();
        private Optional<String> user = Optional.empty();
        private Optional<String> hostname = Optional.empty();
        private Map<String, String> labels = new LinkedHashMap<>();
        private OptionalInt cpuShares = OptionalInt.empty();
        private OptionalInt memoryMiB = OptionalInt.empty();
        private OptionalInt memoryReservationMiB = OptionalInt.empty();
        private List<Ulimit> ulimits = new ArrayList<>();
        private List<ContainerLink> links = new ArrayList<>();
        private boolean privileged;
        private boolean readonlyRootFilesystem;
        private List<PortMapping> portMappings = new ArrayList<>();
        private NetworkMode networkMode = NetworkMode.bridge();
        private List<MountPoint> mountPoints = new ArrayList<>();
        private List<VolumeFrom> volumesFrom = new ArrayList<>();
        private Optional<String> cgroupParent = Optional.empty();
        private Optional<HealthCheck> healthCheck = Optional.empty();
        private Optional<Duration> stopTimeout = Optional.empty();
        private List<String> dnsServers = new ArrayList<>();
        private List<ExtraHost> extraHosts = new ArrayList<>();
        private Optional<LogConfig> logConfig = Optional.empty();
        private Optional<NetworkAddress> address = Optional.empty();
        private Optional<String> bridgeMacAddress = Optional.empty();

        private Builder(String name, String image) {
            this.name = name;
            this.image = image;
        }

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder image(String value) {
            this.image = value;
            return this;
        }

        public Builder command(List<String> value) {
            this.command = new ArrayList<>(value);
            return this;
        }

        public Builder command(String... value) {
            return command(List.of(value));
        }

        public Builder entryPoint(List<String> value) {
            this.entryPoint = new ArrayList<>(value);
            return this;
        }

        public Builder entryPoint(String... value) {
            return entryPoint(List.of(value));
        }

        public Builder environment(Map<String, String> value) {
            this.environment = new LinkedHashMap<>(value);
            return this;
        }

        public Builder env(String key, String value) {
            this.environment.put(key, value);
            return this;
        }

        public Builder workingDirectory(String value) {
            this.workingDirectory = Optional.of(value);
            return this;
        }

        public Builder user(String value) {
            this.user = Optional.of(value);
            return this;
        }

        public Builder hostname(String value) {
            this.hostname = Optional.of(value);
            return this;
        }

        public Builder labels(Map<String, String> value) {
            this.labels = new LinkedHashMap<>(value);
            return this;
        }

        public Builder label(String key, String value) {
            this.labels.put(key, value);
            return this;
        }

        public Builder cpuShares(int value) {
            this.cpuShares = OptionalInt.of(value);
            return this;
        }

        public Builder memoryMiB(int value) {
            this.memoryMiB = OptionalInt.of(value);
            return this;
        }

        public Builder memoryReservationMiB(int value) {
            this.memoryReservationMiB = OptionalInt.of(value);
            return this;
        }

        public Builder ulimit(Ulimit value) {
            this.ulimits.add(value);
            return this;
        }

        public Builder link(ContainerLink value) {
            this.links.add(value);
            return this;
        }

        public Builder privileged(boolean value) {
            this.privileged = value;
            return this;
        }

        public Builder readonlyRootFilesystem(boolean value) {
            this.readonlyRootFilesystem = value;
            return this;
        }

        public Builder portMapping(PortMapping value) {
            this.portMappings.add(value);
            return this;
        }

        public Builder networkMode(NetworkMode value) {
            this.networkMode = value;
            return this;
        }

        public Builder mountPoint(MountPoint value) {
            this.mountPoints.add(value);
            return this;
        }

        public Builder volumeFrom(VolumeFrom value) {
            this.volumesFrom.add(value);
            return this;
        }

        public Builder cgroupParent(String value) {
            this.cgroupParent = Optional.of(value);
            return this;
        }

        public Builder healthCheck(HealthCheck value) {
            this.healthCheck = Optional.of(value);
            return this;
        }

        public Builder stopTimeout(Duration value) {
            this.stopTimeout = Optional.of(value);
            return this;
        }

        public Builder dnsServer(String value) {
            this.dnsServers.add(value);
            return this;
        }

        public Builder extraHost(ExtraHost value) {
            this.extraHosts.add(value);
            return this;
        }

        public ContainerSpec build() {
            return new ContainerSpec(
                    name, image, command, entryPoint, environment, workingDirectory, user, hostname, labels,
                    cpuShares, memoryMiB, memoryReservationMiB, ulimits, links, privileged, readonlyRootFilesystem,
                    portMappings, networkMode, mountPoints, volumesFrom, cgroupParent, healthCheck, stopTimeout,
                    dnsServers, extraHosts, logConfig, address, bridgeMacAddress);
        }

        /** The container's fixed IPv4 and MAC address on its user-defined network. */
        public Builder address(NetworkAddress value) {
            this.address = Optional.of(value);
            return this;
        }

        /** The MAC address of the container's interface on the default bridge. */
        public Builder bridgeMacAddress(String value) {
            this.bridgeMacAddress = Optional.of(value);
            return this;
        }

        /** The Docker logging driver and its options; absent means the engine's default. */
        public Builder logConfig(LogConfig value) {
            this.logConfig = Optional.of(value);
            return this;
        }
    }
}
