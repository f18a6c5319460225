package dev.stevedore.agent.runtime;

import java.util.Objects;

/**
 * What the container engine reports about its host: the resources a container instance registers
 * with, and the engine's versions and cgroup setup.
 *
 * @param cgroupVersion 1 or 2
 * @param cgroupDriver  {@code cgroupfs} or {@code systemd}; decides how a cgroup parent is spelled
 */
public record HostInfo(
        long totalMemoryMiB,
        int cpuCount,
        String serverVersion,
        String apiVersion,
        int cgroupVersion,
        String cgroupDriver,
        String kernelVersion,
        String operatingSystem,
        String architecture) {

    public HostInfo {
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(cgroupDriver, "cgroupDriver");
        Objects.requireNonNull(kernelVersion, "kernelVersion");
        Objects.requireNonNull(operatingSystem, "operatingSystem");
        Objects.requireNonNull(architecture, "architecture");
    }
}
