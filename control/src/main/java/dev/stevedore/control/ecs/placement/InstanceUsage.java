package dev.stevedore.control.ecs.placement;

import dev.stevedore.control.ecs.instance.InstanceResources;
import dev.stevedore.control.ecs.instance.TaskReservation;
import dev.stevedore.model.ecs.ContainerInstance;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the tasks on one container instance hold, in the plan applier's view: the sums of their
 * reservations, how many are pending and running, and how many hold one of its ENI attachment
 * points (awsvpc tasks). An instance's remaining resources and task
 * counts are derived from this and its registered resources, never adjusted in place, so a record
 * someone else wrote (attributes, drain, presence) or a stale stored one is corrected rather than
 * trusted. Owned by the applier's thread.
 */
final class InstanceUsage {
    private int cpu;
    private int memoryMiB;
    private int pending;
    private int running;
    private int interfaces;
    /** Static host ports by how many tasks hold them; a port is never booked twice, the count guards drift. */
    private final Map<Integer, Integer> tcpPorts = new HashMap<>();
    private final Map<Integer, Integer> udpPorts = new HashMap<>();

    void add(TaskReservation r, boolean isRunning, boolean takesInterface) {
        interfaces += takesInterface ? 1 : 0;
        cpu += r.cpu();
        memoryMiB += r.memoryMiB();
        r.tcpPorts().forEach(p -> tcpPorts.merge(p, 1, Integer::sum));
        r.udpPorts().forEach(p -> udpPorts.merge(p, 1, Integer::sum));
        if (isRunning) {
            running++;
        } else {
            pending++;
        }
    }

    void remove(TaskReservation r, boolean wasRunning, boolean tookInterface) {
        interfaces -= tookInterface ? 1 : 0;
        cpu -= r.cpu();
        memoryMiB -= r.memoryMiB();
        r.tcpPorts().forEach(p -> tcpPorts.computeIfPresent(p, (k, n) -> n > 1 ? n - 1 : null));
        r.udpPorts().forEach(p -> udpPorts.computeIfPresent(p, (k, n) -> n > 1 ? n - 1 : null));
        if (wasRunning) {
            running--;
        } else {
            pending--;
        }
    }

    /** How many of the tasks hold an ENI attachment point of the instance. */
    int interfaces() {
        return interfaces;
    }

    void started() {
        pending--;
        running++;
    }

    /**
     * The instance as its tasks make it: registered resources minus what they hold, and their
     * counts; one version later if that differs from {@code record}, else {@code record} itself.
     */
    ContainerInstance applyTo(ContainerInstance record) {
        Optional<InstanceResources> registered = InstanceResources.fromWire(record.registeredResources());
        if (registered.isEmpty()) {
            return record;
        }
        InstanceResources remaining = registered.get().minus(
                new TaskReservation(cpu, memoryMiB, tcpPorts.keySet(), udpPorts.keySet()));
        boolean same = InstanceResources.fromWire(record.remainingResources()).equals(Optional.of(remaining))
                && record.pendingTasksCount() != null && record.pendingTasksCount() == pending
                && record.runningTasksCount() != null && record.runningTasksCount() == running;
        if (same) {
            return record;
        }
        return record.toBuilder()
                .remainingResources(remaining.toWire())
                .pendingTasksCount(pending)
                .runningTasksCount(running)
                .version(record.version() == null ? 1 : record.version() + 1)
                .build();
    }
}
