package dev.stevedore.agent.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The task engine's tunables.
 *
 * @param pollInterval       how often every task inspects its containers even without events, so
 *                           that a missed engine event cannot leave a task running forever
 * @param cleanupDelay       how long the containers of a stopped task are kept before they are
 *                           removed (ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION)
 * @param defaultStopTimeout grace between SIGTERM and SIGKILL for containers without
 *                           {@code stopTimeout} (ECS_CONTAINER_STOP_TIMEOUT)
 * @param reportRetryInitial first wait after a failed report; doubles up to {@code reportRetryMax}
 * @param cgroupRoot         where the cgroup hierarchies are mounted
 * @param cgroupParentName   the cgroup under which each task gets its own cgroup
 */
public record EngineSettings(
        Duration pollInterval,
        Duration cleanupDelay,
        Duration defaultStopTimeout,
        Duration reportRetryInitial,
        Duration reportRetryMax,
        Path cgroupRoot,
        String cgroupParentName) {

    public EngineSettings {
        positive(pollInterval, "pollInterval");
        Objects.requireNonNull(cleanupDelay, "cleanupDelay");
        if (cleanupDelay.isNegative()) {
            throw new IllegalArgumentException("cleanupDelay must not be negative");
        }
        positive(defaultStopTimeout, "defaultStopTimeout");
        positive(reportRetryInitial, "reportRetryInitial");
        positive(reportRetryMax, "reportRetryMax");
        Objects.requireNonNull(cgroupRoot, "cgroupRoot");
        Objects.requireNonNull(cgroupParentName, "cgroupParentName");
        if (!cgroupParentName.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("invalid cgroup parent name: " + cgroupParentName);
        }
    }

    /** What the ECS agent does: poll every 5 s, keep stopped containers 3 h, stop timeout 30 s. */
    public static EngineSettings defaults() {
        return new EngineSettings(
                Duration.ofSeconds(5),
                Duration.ofHours(3),
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofMinutes(1),
                Path.of("/sys/fs/cgroup"),
                "stevedore");
    }

    public EngineSettings withPollInterval(Duration value) {
        return new EngineSettings(value, cleanupDelay, defaultStopTimeout, reportRetryInitial, reportRetryMax, cgroupRoot, cgroupParentName);
    }

    public EngineSettings withCleanupDelay(Duration value) {
        return new EngineSettings(pollInterval, value, defaultStopTimeout, reportRetryInitial, reportRetryMax, cgroupRoot, cgroupParentName);
    }

    public EngineSettings withDefaultStopTimeout(Duration value) {
        return new EngineSettings(pollInterval, cleanupDelay, value, reportRetryInitial, reportRetryMax, cgroupRoot, cgroupParentName);
    }

    public EngineSettings withReportRetry(Duration initial, Duration max) {
        return new EngineSettings(pollInterval, cleanupDelay, defaultStopTimeout, initial, max, cgroupRoot, cgroupParentName);
    }

    public EngineSettings withCgroups(Path root, String parentName) {
        return new EngineSettings(pollInterval, cleanupDelay, defaultStopTimeout, reportRetryInitial, reportRetryMax, root, parentName);
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }
}
