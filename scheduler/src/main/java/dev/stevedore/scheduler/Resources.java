package dev.stevedore.scheduler;

import java.util.HashSet;
import java.util.Set;

/**
 * An amount of container-instance resources, in the units ECS reports them in
 * {@code registeredResources} and {@code remainingResources}.
 *
 * @param cpu CPU units (1024 per vCPU)
 * @param memoryMiB memory in MiB
 * @param tcpPorts TCP host ports that are taken: reserved by the agent or used by tasks' static
 *     port mappings (ECS's {@code PORTS} string set)
 * @param udpPorts UDP host ports that are taken ({@code PORTS_UDP})
 * @param eniAttachments ENI attachment points: in registered resources the instance's total, in
 *     remaining resources those still free for {@code awsvpc} tasks
 */
public record Resources(int cpu, int memoryMiB, Set<Integer> tcpPorts, Set<Integer> udpPorts, int eniAttachments) {

    public Resources {
        requireNotNegative(cpu, "cpu");
        requireNotNegative(memoryMiB, "memoryMiB");
        requireNotNegative(eniAttachments, "eniAttachments");
        tcpPorts = Ports.copy(tcpPorts, "tcpPorts");
        udpPorts = Ports.copy(udpPorts, "udpPorts");
    }

    /** Resources with no ports taken and no ENI attachment points. */
    public static Resources of(int cpu, int memoryMiB) {
        return new Resources(cpu, memoryMiB, Set.of(), Set.of(), 0);
    }

    /**
     * What is left after one more task takes its share.
     *
     * @throws IllegalArgumentException if the task does not fit; callers check with
     *     {@link Scheduler#fits} first
     */
    public Resources minus(TaskRequirements task) {
        Set<Integer> tcp = new HashSet<>(tcpPorts);
        Set<Integer> udp = new HashSet<>(udpPorts);
        for (int port : task.tcpHostPorts()) {
            if (!tcp.add(port)) {
                throw new IllegalArgumentException("TCP port " + port + " is already taken");
            }
        }
        for (int port : task.udpHostPorts()) {
            if (!udp.add(port)) {
                throw new IllegalArgumentException("UDP port " + port + " is already taken");
            }
        }
        return new Resources(cpu - task.cpu(), memoryMiB - task.memoryMiB(), tcp, udp,
                eniAttachments - (task.needsEni() ? 1 : 0));
    }

    /**
     * What is left after a task that held its share stops: the inverse of {@link #minus}.
     *
     * @throws IllegalArgumentException if one of the task's host ports is not taken here, the
     *     sign that the task never ran on this instance
     */
    public Resources plus(TaskRequirements task) {
        Set<Integer> tcp = new HashSet<>(tcpPorts);
        Set<Integer> udp = new HashSet<>(udpPorts);
        for (int port : task.tcpHostPorts()) {
            if (!tcp.remove(port)) {
                throw new IllegalArgumentException("TCP port " + port + " is not taken");
            }
        }
        for (int port : task.udpHostPorts()) {
            if (!udp.remove(port)) {
                throw new IllegalArgumentException("UDP port " + port + " is not taken");
            }
        }
        return new Resources(cpu + task.cpu(), memoryMiB + task.memoryMiB(), tcp, udp,
                eniAttachments + (task.needsEni() ? 1 : 0));
    }

    private static void requireNotNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
