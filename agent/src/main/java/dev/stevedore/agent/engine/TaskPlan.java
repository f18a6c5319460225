package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.NetworkAddress;
import dev.stevedore.agent.runtime.VolumeSpec;
import dev.stevedore.model.agent.NetworkInterfaceAssignment;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.ContainerDependency;
import dev.stevedore.model.ecs.DockerVolumeConfiguration;
import dev.stevedore.model.ecs.MountPoint;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.Volume;
import dev.stevedore.model.ecs.VolumeFrom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * How the engine runs one task, derived from its assignment alone (pure): the containers with
 * overrides applied, their start order, the task's volumes and limits, or why the task cannot run
 * here at all.
 *
 * @param error       the task's {@code stoppedReason} when it cannot run on this agent
 * @param networkMode      {@code bridge}, {@code host}, {@code none} or {@code awsvpc}
 * @param networkInterface an {@code awsvpc} task's interface: its address on its subnet
 * @param cpuUnits         task-level CPU, when set
 * @param memoryMiB        task-level memory, when set
 */
record TaskPlan(
        String family,
        int revision,
        List<PlannedContainer> containers,
        List<String> startOrder,
        Map<String, VolumePlan> volumes,
        String networkMode,
        Optional<NetworkInterfaceAssignment> networkInterface,
        OptionalInt cpuUnits,
        OptionalInt memoryMiB,
        Optional<String> error) {

    private static final String CREATE_ERROR = "CannotCreateContainerError: ";

    TaskPlan {
        Objects.requireNonNull(family, "family");
        containers = List.copyOf(containers);
        startOrder = List.copyOf(startOrder);
        volumes = Map.copyOf(volumes);
        Objects.requireNonNull(networkMode, "networkMode");
        Objects.requireNonNull(networkInterface, "networkInterface");
        Objects.requireNonNull(cpuUnits, "cpuUnits");
        Objects.requireNonNull(memoryMiB, "memoryMiB");
        Objects.requireNonNull(error, "error");
    }

    static TaskPlan of(TaskAssignment assignment, String containerInstanceArn, Duration defaultStopTimeout) {
        Task task = assignment.task();
        TaskDefinition td = assignment.taskDefinition();
        String family = td.family() == null ? "task" : td.family();
        int revision = td.revision() == null ? 0 : td.revision();
        List<ContainerDefinition> defs = td.containerDefinitions() == null ? List.of() : td.containerDefinitions();
        List<PlannedContainer> containers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ContainerDefinition def : defs) {
            if (def.name() == null || def.name().isBlank()) {
                problems.add("a container definition has no name");
            } else if (!names.add(def.name())) {
                problems.add("container name " + def.name() + " is used twice");
            } else {
                containers.add(plan(def, task, defaultStopTimeout, problems));
            }
        }
        String networkMode = td.networkMode() == null ? "bridge" : td.networkMode();
        Optional<NetworkInterfaceAssignment> networkInterface = Optional.empty();
        if (networkMode.equals("awsvpc")) {
            networkInterface = networkInterface(assignment.networkInterfaces(), containers, problems);
        } else if (!List.of("bridge", "host", "none").contains(networkMode)) {
            problems.add("network mode " + networkMode + " is not supported on Linux");
        }
        if (containers.isEmpty()) {
            problems.add("the task definition has no containers");
        } else if (containers.stream().noneMatch(PlannedContainer::essential)) {
            problems.add("the task definition has no essential container");
        }
        Map<String, VolumePlan> volumes = volumes(assignment, td, task, family, revision, containerInstanceArn, containers, problems);
        List<String> order = List.of();
        try {
            order = DependencyOrder.startOrder(containers);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            order = containers.stream().map(PlannedContainer::name).toList();
        }
        String taskCpu = task.overrides() != null && task.overrides().cpu() != null ? task.overrides().cpu() : td.cpu();
        String taskMemory = task.overrides() != null && task.overrides().memory() != null ? task.overrides().memory() : td.memory();
        // ephemeralStorage is not enforced, nor pretended to be: the engine's only per-container
        // cap on the writable layer is the storage driver's size option, which overlay2 supports
        // only on an xfs backing file system mounted with project quotas. The Docker here runs
        // overlay2 on ext4 (docker info: Backing Filesystem extfs), where the engine refuses it.
        Optional<String> error = problems.isEmpty() ? Optional.empty() : Optional.of(CREATE_ERROR + String.join("; ", problems));
        return new TaskPlan(family, revision, containers, order, volumes, networkMode, networkInterface,
                positiveInt(taskCpu), positiveInt(taskMemory), error);
    }

    /** The plan of containers found without a state file: nothing is known but their names. */
    static TaskPlan orphan(List<String> names, Duration defaultStopTimeout) {
        List<PlannedContainer> containers = names.stream()
                .map(n -> new PlannedContainer(n, ContainerDefinition.builder().name(n).build(), false, List.of(),
                        defaultStopTimeout, Optional.empty()))
                .toList();
        return new TaskPlan("unknown", 0, containers, names, Map.of(), "bridge", Optional.empty(), OptionalInt.empty(),
                OptionalInt.empty(), Optional.empty());
    }

    /**
     * The interface an {@code awsvpc} task's namespace gets, checked so that a bad one fails the
     * task before anything is made for it.
     */
    private static Optional<NetworkInterfaceAssignment> networkInterface(List<NetworkInterfaceAssignment> interfaces,
            List<PlannedContainer> containers, List<String> problems) {
        for (PlannedContainer c : containers) {
            // Links need the default bridge; the engine refuses them in a shared namespace.
            if (c.definition().links() != null && !c.definition().links().isEmpty()) {
                problems.add("container " + c.name() + " has links, which network mode awsvpc does not support");
            }
        }
        if (interfaces.size() != 1) {
            problems.add("network mode awsvpc needs one network interface; the control plane assigned "
                    + interfaces.size());
            return Optional.empty();
        }
        NetworkInterfaceAssignment eni = interfaces.getFirst();
        try {
            new NetworkAddress(eni.privateIpv4Address(), eni.macAddress());
            if (!SubnetNetworks.usable(eni.subnetCidrBlock(), eni.privateIpv4Address())) {
                problems.add("network interface " + eni.networkInterfaceId() + ": address " + eni.privateIpv4Address()
                        + " is not a usable address of subnet block " + eni.subnetCidrBlock());
                return Optional.empty();
            }
        } catch (IllegalArgumentException e) {
            problems.add("network interface " + eni.networkInterfaceId() + ": " + e.getMessage());
            return Optional.empty();
        }
        return Optional.of(eni);
    }

    Optional<PlannedContainer> container(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The reverse of the start order: dependants stop before what they depend on. */
    List<String> stopOrder() {
        List<String> reversed = new ArrayList<>(startOrder);
        Collections.reverse(reversed);
        return reversed;
    }

    private static PlannedContainer plan(ContainerDefinition raw, Task task, Duration defaultStopTimeout, List<String> problems) {
        String name = raw.name();
        ContainerDefinition def = Overrides.apply(raw, Overrides.find(task.overrides(), name));
        if (def.image() == null || def.image().isBlank()) {
            problems.add("container " + name + " has no image");
        }
        Map<String, Dependency> deps = new LinkedHashMap<>();
        // Links and volumesFrom need the other container to exist, which START guarantees; an
        // explicit dependsOn on the same container says more and wins.
        if (def.links() != null) {
            for (String link : def.links()) {
                String target = link.contains(":") ? link.substring(0, link.indexOf(':')) : link;
                deps.put(target, new Dependency(target, Dependency.Condition.START));
            }
        }
        if (def.volumesFrom() != null) {
            for (VolumeFrom v : def.volumesFrom()) {
                if (v.sourceContainer() != null) {
                    deps.put(v.sourceContainer(), new Dependency(v.sourceContainer(), Dependency.Condition.START));
                }
            }
        }
        if (def.dependsOn() != null) {
            for (ContainerDependency d : def.dependsOn()) {
                Optional<Dependency.Condition> condition = Dependency.Condition.parse(d.condition());
                if (condition.isEmpty() || d.containerName() == null) {
                    problems.add("container " + name + " has an invalid dependency " + d.containerName() + " " + d.condition());
                } else {
                    deps.put(d.containerName(), new Dependency(d.containerName(), condition.get()));
                }
            }
        }
        Duration stopTimeout = def.stopTimeout() != null && def.stopTimeout() > 0
                ? Duration.ofSeconds(def.stopTimeout())
                : defaultStopTimeout;
        Optional<Duration> startTimeout = def.startTimeout() != null && def.startTimeout() > 0
                ? Optional.of(Duration.ofSeconds(def.startTimeout()))
                : Optional.empty();
        boolean essential = def.essential() == null || def.essential();
        return new PlannedContainer(name, def, essential, List.copyOf(deps.values()), stopTimeout, startTimeout);
    }

    private static Map<String, VolumePlan> volumes(TaskAssignment assignment, TaskDefinition td, Task task, String family, int revision,
            String containerInstanceArn, List<PlannedContainer> containers, List<String> problems) {
        Map<String, VolumePlan> out = new HashMap<>();
        Map<String, Volume> declared = new HashMap<>();
        if (td.volumes() != null) {
            td.volumes().stream().filter(v -> v.name() != null).forEach(v -> declared.put(v.name(), v));
        }
        String taskId = task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1);
        Map<String, String> labels = Map.of(Labels.TASK_ARN, task.taskArn(), Labels.CONTAINER_INSTANCE, containerInstanceArn);
        for (PlannedContainer c : containers) {
            List<MountPoint> mounts = c.definition().mountPoints() == null ? List.of() : c.definition().mountPoints();
            for (MountPoint m : mounts) {
                String name = m.sourceVolume();
                if (name == null || out.containsKey(name)) {
                    continue;
                }
                Volume v = declared.get(name);
                if (v == null) {
                    problems.add("container " + c.name() + " mounts volume " + name + ", which the task definition does not declare");
                    continue;
                }
                if (v.efsVolumeConfiguration() != null) {
                    // Resolved by the control plane; an older one that resolved nothing cannot be mounted from.
                    assignment.efsVolume(name).ifPresentOrElse(e -> out.put(name, new VolumePlan.Efs(e)),
                            () -> problems.add("volume " + name + ": the control plane did not say where its file system is served"));
                    continue;
                }
                try {
                    volumePlan(v, family, revision, taskId, labels).ifPresentOrElse(
                            p -> out.put(name, p),
                            () -> problems.add("volume " + name + " uses a volume type the Stevedore agent does not support yet"));
                } catch (IllegalArgumentException e) {
                    problems.add("volume " + name + ": " + e.getMessage());
                }
            }
        }
        return out;
    }

    private static Optional<VolumePlan> volumePlan(Volume v, String family, int revision, String taskId, Map<String, String> labels) {
        if (v.efsVolumeConfiguration() != null || v.fsxWindowsFileServerVolumeConfiguration() != null
                || v.s3filesVolumeConfiguration() != null || Boolean.TRUE.equals(v.configuredAtLaunch())) {
            return Optional.empty();
        }
        DockerVolumeConfiguration docker = v.dockerVolumeConfiguration();
        if (docker != null) {
            String driver = docker.driver() == null || docker.driver().isBlank() ? "local" : docker.driver();
            Map<String, String> volumeLabels = new HashMap<>(docker.labels() == null ? Map.of() : docker.labels());
            Map<String, String> options = docker.driverOpts() == null ? Map.of() : docker.driverOpts();
            if ("shared".equals(docker.scope())) {
                return Optional.of(new VolumePlan.Shared(new VolumeSpec(v.name(), driver, options, volumeLabels),
                        Boolean.TRUE.equals(docker.autoprovision())));
            }
            volumeLabels.putAll(labels);
            return Optional.of(new VolumePlan.TaskScoped(
                    new VolumeSpec(taskVolumeName(family, revision, v.name(), taskId), driver, options, volumeLabels)));
        }
        if (v.host() != null && v.host().sourcePath() != null && !v.host().sourcePath().isBlank()) {
            return Optional.of(new VolumePlan.HostPath(v.host().sourcePath()));
        }
        return Optional.of(new VolumePlan.TaskScoped(VolumeSpec.local(taskVolumeName(family, revision, v.name(), taskId), labels)));
    }

    /** Unique per task and stable across agent restarts. */
    static String taskVolumeName(String family, int revision, String volume, String taskId) {
        return "ecs-" + family + "-" + revision + "-" + volume + "-" + taskId;
    }

    private static OptionalInt positiveInt(String value) {
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            int n = Integer.parseInt(value.strip());
            return n > 0 ? OptionalInt.of(n) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            // Registration normalises "1 vCPU" and "1 GB" to numbers; anything else is not a limit we can apply.
            return OptionalInt.empty();
        }
    }
}
