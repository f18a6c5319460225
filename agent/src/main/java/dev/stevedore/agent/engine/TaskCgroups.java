package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.HostInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task-level CPU and memory limits: a cgroup per task that the engine uses as the cgroup parent
 * of the task's containers, so that together they cannot exceed the task's share.
 */
interface TaskCgroups {

    /**
     * Makes the task's cgroup with its limits.
     *
     * @return the cgroup parent to give the task's containers; empty when the task has no
     *         task-level limits or they cannot be enforced on this host (containers then get only
     *         their own limits)
     */
    Optional<String> create(String taskId, OptionalInt cpuUnits, OptionalInt memoryMiB);

    /** Removes the task's cgroup once its containers are gone; absent ones are fine. */
    void remove(String taskId);

    /** How many processes the kernel killed because the task's memory limit was reached; 0 when unknown. */
    long oomKills(String taskId);

    /** The implementation for this host, or none with the reason logged. */
    static TaskCgroups detect(HostInfo host, Path root, String parentName) {
        Logger log = LoggerFactory.getLogger(TaskCgroups.class);
        if (supported(host, root)) {
            return new CgroupV1TaskCgroups(root, parentName);
        }
        // cgroup v2 and the systemd driver name cgroups differently (a unified tree, slices); until
        // they are implemented task-level limits fall back to the containers' own limits.
        String why = "cgroup v" + host.cgroupVersion() + " with the " + host.cgroupDriver() + " driver at " + root;
        log.warn("task-level cpu and memory limits are not enforced: {} is not supported yet", why);
        return none();
    }

    /** cgroup v1 with the cgroupfs driver and the cpu and memory controllers mounted under {@code root}. */
    static boolean supported(HostInfo host, Path root) {
        return host.cgroupVersion() == 1 && "cgroupfs".equals(host.cgroupDriver())
                && Files.isDirectory(root.resolve("cpu")) && Files.isDirectory(root.resolve("memory"));
    }

    static TaskCgroups none() {
        return new TaskCgroups() {
            @Override
            public Optional<String> create(String taskId, OptionalInt cpuUnits, OptionalInt memoryMiB) {
                return Optional.empty();
            }

            @Override
            public void remove(String taskId) {
                // Nothing was made.
            }

            @Override
            public long oomKills(String taskId) {
                return 0;
            }
        };
    }
}
