package dev.stevedore.agent.engine;

import dev.stevedore.agent.efs.EfsMounts;
import dev.stevedore.agent.runtime.ContainerLink;
import dev.stevedore.agent.runtime.ContainerSpec;
import dev.stevedore.agent.runtime.ExtraHost;
import dev.stevedore.agent.runtime.HealthCheck;
import dev.stevedore.agent.runtime.MountPoint;
import dev.stevedore.agent.runtime.NetworkMode;
import dev.stevedore.agent.runtime.PortMapping;
import dev.stevedore.agent.runtime.Protocol;
import dev.stevedore.agent.runtime.Ulimit;
import dev.stevedore.agent.runtime.VolumeFrom;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.HostEntry;
import dev.stevedore.model.ecs.KeyValuePair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a container definition into the engine's {@link ContainerSpec} (pure). Fields the
 * runtime has no counterpart for (linuxParameters, ...) are not applied yet. Secrets come in
 * through the {@link Context}, read before the task's first container was created.
 */
final class ContainerSpecs {

    private static final int MIN_CPU_SHARES = 2;
    private static final int MAX_CPU_SHARES = 262_144;

    /**
     * What a container's spec depends on beyond its own definition.
     *
     * @param dockerNames    engine names of the task's containers created so far, for links and volumesFrom
     * @param pauseContainer the engine name of an {@code awsvpc} task's pause container, whose
     *                       network namespace the task's containers join
     * @param endpoints      what the container is told of the task endpoints, when they are served
     * @param secretEnvironment the values of the container's {@code secrets}, read at the task's start
     * @param secretLogOptions  the values of its {@code logConfiguration.secretOptions}
     * @param awslogs        where the Docker daemon ships the task's awslogs containers, when this
     *                       agent can have it do so for this task
     */
    record Context(
            AgentIdentity identity,
            String taskArn,
            TaskPlan plan,
            Map<String, String> dockerNames,
            Optional<String> cgroupParent,
            Optional<String> pauseContainer,
            Optional<EndpointAccess> endpoints,
            Map<String, String> secretEnvironment,
            Map<String, String> secretLogOptions,
            Optional<AwsLogs.Access> awslogs) {

        Context {
            secretEnvironment = Collections.unmodifiableMap(new LinkedHashMap<>(secretEnvironment));
            secretLogOptions = Map.copyOf(secretLogOptions);
            Objects.requireNonNull(awslogs, "awslogs");
            Objects.requireNonNull(endpoints, "endpoints");
            Objects.requireNonNull(pauseContainer, "pauseContainer");
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(taskArn, "taskArn");
            Objects.requireNonNull(plan, "plan");
            dockerNames = Map.copyOf(dockerNames);
            Objects.requireNonNull(cgroupParent, "cgroupParent");
        }
    }

    /**
     * How one container reaches the task endpoints.
     *
     * @param metadataId    the id in its metadata address, unique to the container
     * @param credentialsId the task role's credentials id, for a task with a task role
     * @param bridgeMac     the MAC address a bridge-mode container gets, by which its traffic to
     *                      the endpoints is recognised
     */
    record EndpointAccess(String metadataId, Optional<String> credentialsId, Optional<String> bridgeMac) {
        EndpointAccess {
            Objects.requireNonNull(metadataId, "metadataId");
            Objects.requireNonNull(credentialsId, "credentialsId");
            Objects.requireNonNull(bridgeMac, "bridgeMac");
        }
    }

    /** Where containers reach the task endpoints, as on ECS. */
    static final String ENDPOINT_ADDRESS = "169.254.170.2";

    private ContainerSpecs() {}

    /** A random locally administered unicast MAC address (first octet 02), as Docker's own are. */
    static String randomMac() {
        byte[] b = new byte[5];
        ThreadLocalRandom.current().nextBytes(b);
        return "02:" + HexFormat.ofDelimiter(":").formatHex(b);
    }

    /** {@code ecs-<family>-<revision>-<container>-<random>}, as the ECS agent names containers. */
    static String dockerName(TaskPlan plan, String container) {
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        return "ecs-" + plan.family() + "-" + plan.revision() + "-" + container + "-" + HexFormat.of().formatHex(random);
    }

    /**
     * @throws IllegalArgumentException when the definition cannot be expressed for the engine
     *                                  (the container then fails to be created)
     */
    static ContainerSpec build(Context ctx, PlannedContainer pc, String dockerName) {
        ContainerDefinition def = pc.definition();
        NetworkMode mode = switch (ctx.plan().networkMode()) {
            case "host" -> NetworkMode.host();
            case "none" -> NetworkMode.none();
            case "awsvpc" -> NetworkMode.container(ctx.pauseContainer().orElseThrow(
                    () -> new IllegalArgumentException("the task's network namespace does not exist yet")));
            default -> NetworkMode.bridge();
        };
        // In a namespace it does not own, a container cannot have its own hostname, DNS servers,
        // hosts entries or published ports (the engine refuses them); ECS does not allow them in
        // awsvpc either, where a container's ports are open on the task's own address.
        boolean ownsNetwork = !(mode instanceof NetworkMode.Container);
        ContainerSpec.Builder b = ContainerSpec.builder(dockerName, def.image() == null ? "" : def.image())
                .networkMode(mode)
                .labels(labels(ctx, pc))
                .stopTimeout(pc.stopTimeout())
                .privileged(Boolean.TRUE.equals(def.privileged()))
                .readonlyRootFilesystem(Boolean.TRUE.equals(def.readonlyRootFilesystem()));
        b.command(list(def.command())).entryPoint(list(def.entryPoint()));
        for (KeyValuePair kv : list(def.environment())) {
            if (kv.name() != null) {
                b.env(kv.name(), kv.value() == null ? "" : kv.value());
            }
        }
        // Secrets after the definition's variables, as the ECS agent merges them: a secret wins over a
        // variable of the same name.
        ctx.secretEnvironment().forEach(b::env);
        // After the definition's own, so that a definition cannot point its SDKs elsewhere.
        ctx.endpoints().ifPresent(e -> {
            b.env("ECS_CONTAINER_METADATA_URI_V4", "http://" + ENDPOINT_ADDRESS + "/v4/" + e.metadataId());
            b.env("ECS_CONTAINER_METADATA_URI", "http://" + ENDPOINT_ADDRESS + "/v3/" + e.metadataId());
            e.credentialsId().ifPresent(id -> b.env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/" + id));
            if (mode instanceof NetworkMode.Bridge) {
                e.bridgeMac().ifPresent(b::bridgeMacAddress);
            }
        });
        Optional.ofNullable(def.workingDirectory()).ifPresent(b::workingDirectory);
        Optional.ofNullable(def.user()).ifPresent(b::user);
        // The engine refuses a hostname for a container that uses the host's network stack.
        Optional.ofNullable(def.hostname()).filter(h -> !(mode instanceof NetworkMode.Host) && ownsNetwork).ifPresent(b::hostname);
        if (def.cpu() != null && def.cpu() > 0) {
            b.cpuShares(Math.max(MIN_CPU_SHARES, Math.min(MAX_CPU_SHARES, def.cpu())));
        }
        if (def.memory() != null && def.memory() > 0) {
            b.memoryMiB(def.memory());
        }
        if (def.memoryReservation() != null && def.memoryReservation() > 0) {
            b.memoryReservationMiB(def.memoryReservation());
        }
        for (dev.stevedore.model.ecs.Ulimit u : list(def.ulimits())) {
            b.ulimit(new Ulimit(Objects.requireNonNull(u.name(), "ulimit name"),
                    value(u.softLimit(), "softLimit"), value(u.hardLimit(), "hardLimit")));
        }
        for (String link : list(def.links())) {
            String target = link.contains(":") ? link.substring(0, link.indexOf(':')) : link;
            String alias = link.contains(":") ? link.substring(link.indexOf(':') + 1) : link;
            b.link(new ContainerLink(engineName(ctx, target), alias));
        }
        if (ownsNetwork) {
            portMappings(def, mode).forEach(b::portMapping);
            list(def.dnsServers()).forEach(b::dnsServer);
            for (HostEntry h : list(def.extraHosts())) {
                b.extraHost(new ExtraHost(h.hostname(), h.ipAddress()));
            }
        }
        mountPoints(ctx, def).forEach(b::mountPoint);
        for (dev.stevedore.model.ecs.VolumeFrom v : list(def.volumesFrom())) {
            b.volumeFrom(new VolumeFrom(engineName(ctx, v.sourceContainer()), Boolean.TRUE.equals(v.readOnly())));
        }
        ctx.cgroupParent().ifPresent(b::cgroupParent);
        healthCheck(def).ifPresent(b::healthCheck);
        logConfig(def, pc.name(), ctx).map(c -> withSecretOptions(c, ctx.secretLogOptions())).ifPresent(b::logConfig);
        return b.build();
    }

    static Optional<dev.stevedore.agent.runtime.LogConfig> logConfig(ContainerDefinition def, String container, Context ctx) {
        if (def.logConfiguration() == null || def.logConfiguration().logDriver() == null) {
            return Optional.empty();
        }
        String driver = def.logConfiguration().logDriver();
        Map<String, String> options = def.logConfiguration().options() == null
                ? Map.of() : def.logConfiguration().options();
        if (driver.equals(AwsLogs.DRIVER)) {
            AwsLogs.Access access = ctx.awslogs().orElseThrow(() -> new IllegalArgumentException(
                    "log driver awslogs needs the task's execution role credentials served to the Docker daemon"));
            options = AwsLogs.dockerOptions(options, container, ctx.taskArn(), access);
        } else if (!LogDrivers.SUPPORTED.contains(driver)) {
            throw new IllegalArgumentException("log driver " + driver + " is not supported by the Stevedore agent yet");
        }
        return Optional.of(new dev.stevedore.agent.runtime.LogConfig(driver, options));
    }

    /** The log driver's options with those read from {@code secretOptions} (which win over plain ones). */
    private static dev.stevedore.agent.runtime.LogConfig withSecretOptions(dev.stevedore.agent.runtime.LogConfig config,
                                                                         Map<String, String> secretOptions) {
        if (secretOptions.isEmpty()) {
            return config;
        }
        Map<String, String> options = new LinkedHashMap<>(config.options());
        options.putAll(secretOptions);
        return new dev.stevedore.agent.runtime.LogConfig(config.driver(), options);
    }

    private static Map<String, String> labels(Context ctx, PlannedContainer pc) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (pc.definition().dockerLabels() != null) {
            labels.putAll(pc.definition().dockerLabels());
        }
        // The engine's own labels come last: a task definition must not be able to disguise its
        // containers as another task's.
        labels.put(Labels.CLUSTER, ctx.identity().clusterArn());
        labels.put(Labels.TASK_ARN, ctx.taskArn());
        labels.put(Labels.CONTAINER_NAME, pc.name());
        labels.put(Labels.FAMILY, ctx.plan().family());
        labels.put(Labels.REVISION, Integer.toString(ctx.plan().revision()));
        labels.put(Labels.CONTAINER_INSTANCE, ctx.identity().containerInstanceArn());
        ctx.endpoints().ifPresent(e -> labels.put(Labels.METADATA_ENDPOINT_ID, e.metadataId()));
        return labels;
    }

    static List<PortMapping> portMappings(ContainerDefinition def, NetworkMode mode) {
        List<PortMapping> out = new ArrayList<>();
        for (dev.stevedore.model.ecs.PortMapping p : list(def.portMappings())) {
            Protocol protocol = Protocol.fromWireName(p.protocol());
            if (p.containerPort() != null) {
                int hostPort = mode instanceof NetworkMode.Host ? p.containerPort()
                        : p.hostPort() == null ? 0 : p.hostPort();
                out.add(new PortMapping(p.containerPort(), hostPort, protocol, Optional.empty()));
            } else if (p.containerPortRange() != null) {
                // Each port of a range gets its own dynamic host port, which is what ECS does in bridge mode.
                int[] range = range(p.containerPortRange());
                for (int port = range[0]; port <= range[1]; port++) {
                    out.add(new PortMapping(port, mode instanceof NetworkMode.Host ? port : 0, protocol, Optional.empty()));
                }
            }
        }
        return out;
    }

    private static List<MountPoint> mountPoints(Context ctx, ContainerDefinition def) {
        List<MountPoint> out = new ArrayList<>();
        for (dev.stevedore.model.ecs.MountPoint m : list(def.mountPoints())) {
            VolumePlan volume = ctx.plan().volumes().get(m.sourceVolume());
            if (volume == null || m.containerPath() == null) {
                throw new IllegalArgumentException("mount point " + m.sourceVolume() + " -> " + m.containerPath() + " has no usable volume");
            }
            boolean readOnly = Boolean.TRUE.equals(m.readOnly());
            out.add(switch (volume) {
                case VolumePlan.HostPath h -> MountPoint.bind(h.path(), m.containerPath(), readOnly);
                case VolumePlan.TaskScoped t -> MountPoint.volume(t.spec().name(), m.containerPath(), readOnly);
                case VolumePlan.Shared s -> MountPoint.volume(s.spec().name(), m.containerPath(), readOnly);
                // Read-only access (IAM without ClientWrite) holds whatever the mount point says.
                case VolumePlan.Efs e -> MountPoint.bind(
                        EfsMounts.hostDirectory(TaskEngine.efsRoot(ctx.identity()), e.volume()).toString(),
                        m.containerPath(), readOnly || e.volume().readOnly());
            });
        }
        return out;
    }

    static Optional<HealthCheck> healthCheck(ContainerDefinition def) {
        dev.stevedore.model.ecs.HealthCheck h = def.healthCheck();
        if (h == null || h.command() == null || h.command().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HealthCheck(
                h.command(),
                seconds(h.interval(), HealthCheck.DEFAULT_INTERVAL),
                seconds(h.timeout(), HealthCheck.DEFAULT_TIMEOUT),
                h.retries() == null ? HealthCheck.DEFAULT_RETRIES : h.retries(),
                seconds(h.startPeriod(), Duration.ZERO)));
    }

    private static String engineName(Context ctx, String container) {
        String name = ctx.dockerNames().get(container);
        if (name == null) {
            throw new IllegalArgumentException("container " + container + " does not exist yet");
        }
        return name;
    }

    private static int[] range(String spec) {
        String[] parts = spec.split("-");
        try {
            int first = Integer.parseInt(parts[0].strip());
            int last = parts.length > 1 ? Integer.parseInt(parts[1].strip()) : first;
            if (parts.length > 2 || first > last) {
                throw new IllegalArgumentException("invalid containerPortRange " + spec);
            }
            return new int[] {first, last};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid containerPortRange " + spec);
        }
    }

    private static Duration seconds(Integer value, Duration fallback) {
        return value == null || value <= 0 ? fallback : Duration.ofSeconds(value);
    }

    private static long value(Integer v, String what) {
        if (v == null) {
            throw new IllegalArgumentException("ulimit " + what + " is missing");
        }
        return v;
    }

    private static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : value;
    }
}
