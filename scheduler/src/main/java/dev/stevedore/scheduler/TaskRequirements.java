package dev.stevedore.scheduler;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one task needs from the instance it is placed on.
 *
 * @param cpu CPU units the task reserves (task-level {@code cpu}, else the sum over containers)
 * @param memoryMiB memory the task reserves (task-level, else per container
 *     {@code memoryReservation} or {@code memory})
 * @param tcpHostPorts static TCP host ports of {@code bridge}/{@code host} port mappings; dynamic
 *     ports (host port 0) and {@code awsvpc} ports do not occupy host ports and are not listed
 * @param udpHostPorts static UDP host ports, likewise
 * @param needsEni whether the task uses {@code awsvpc} and so takes an ENI attachment point
 * @param requiredAttributes the task definition's {@code requiresAttributes}
 * @param zones the Availability Zones of an {@code awsvpc} task's subnets: its interface can only be
 *     attached to an instance in one of them ({@code ecs.availability-zone}); empty when the task
 *     may go to any zone
 */
public record TaskRequirements(
        int cpu,
        int memoryMiB,
        Set<Integer> tcpHostPorts,
        Set<Integer> udpHostPorts,
        boolean needsEni,
        List<RequiredAttribute> requiredAttributes,
        Set<String> zones) {

    /** The attribute ECS sets to the Availability Zone a container instance is in. */
    public static final String ZONE_ATTRIBUTE = "ecs.availability-zone";

    public TaskRequirements {
        if (cpu < 0 || memoryMiB < 0) {
            throw new IllegalArgumentException("cpu and memory must not be negative: " + cpu + ", " + memoryMiB);
        }
        tcpHostPorts = Ports.copy(tcpHostPorts, "tcpHostPorts");
        udpHostPorts = Ports.copy(udpHostPorts, "udpHostPorts");
        requiredAttributes = List.copyOf(Objects.requireNonNull(requiredAttributes, "requiredAttributes"));
        zones = Set.copyOf(Objects.requireNonNull(zones, "zones"));
    }

    /** A task that may go to any zone. */
    public TaskRequirements(int cpu, int memoryMiB, Set<Integer> tcpHostPorts, Set<Integer> udpHostPorts,
            boolean needsEni, List<RequiredAttribute> requiredAttributes) {
        this(cpu, memoryMiB, tcpHostPorts, udpHostPorts, needsEni, requiredAttributes, Set.of());
    }

    /** Whether an instance in {@code zone} (absent: it names none) is in a zone the task may go to. */
    public boolean allowsZone(java.util.Optional<String> zone) {
        return zones.isEmpty() || zone.filter(zones::contains).isPresent();
    }

    /** A task that needs only CPU and memory. */
    public static TaskRequirements of(int cpu, int memoryMiB) {
        return new TaskRequirements(cpu, memoryMiB, Set.of(), Set.of(), false, List.of());
    }
}
