package dev.stevedore.agent.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task cgroups on cgroup v1 with Docker's cgroupfs driver: {@code <root>/cpu/<parent>/<taskId>}
 * and {@code <root>/memory/<parent>/<taskId>} hold the limits, and containers created with the
 * cgroup parent {@code /<parent>/<taskId>} land below them (Docker makes the directories of the
 * other controllers itself).
 */
final class CgroupV1TaskCgroups implements TaskCgroups {

    private static final Logger log = LoggerFactory.getLogger(CgroupV1TaskCgroups.class);
    private static final long CFS_PERIOD_US = 100_000;
    private static final int UNITS_PER_CPU = 1024;

    private final Path root;
    private final String parentName;

    CgroupV1TaskCgroups(Path root, String parentName) {
        this.root = root;
        this.parentName = parentName;
    }

    @Override
    public Optional<String> create(String taskId, OptionalInt cpuUnits, OptionalInt memoryMiB) {
        if (cpuUnits.isEmpty() && memoryMiB.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path cpu = Files.createDirectories(root.resolve("cpu").resolve(parentName).resolve(taskId));
            Path memory = Files.createDirectories(root.resolve("memory").resolve(parentName).resolve(taskId));
            if (cpuUnits.isPresent()) {
                int units = cpuUnits.getAsInt();
                // Task CPU is both a weight among tasks and, as on ECS, a hard cap.
                write(cpu.resolve("cpu.shares"), Math.max(2, units));
                write(cpu.resolve("cpu.cfs_period_us"), CFS_PERIOD_US);
                write(cpu.resolve("cpu.cfs_quota_us"), Math.max(1000, units * CFS_PERIOD_US / UNITS_PER_CPU));
            }
            if (memoryMiB.isPresent()) {
                write(memory.resolve("memory.limit_in_bytes"), memoryMiB.getAsInt() * 1024L * 1024L);
            }
            return Optional.of("/" + parentName + "/" + taskId);
        } catch (IOException | UnsupportedOperationException e) {
            // Without the cgroup the containers still get their own limits; a task must not fail
            // to start only because the host does not let the agent write cgroups.
            log.warn("task {}: cannot create its cgroup, task-level limits not enforced: {}", taskId, e.toString());
            remove(taskId);
            return Optional.empty();
        }
    }

    @Override
    public void remove(String taskId) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> controllers = Files.newDirectoryStream(root)) {
            for (Path controller : controllers) {
                Path dir = controller.resolve(parentName).resolve(taskId);
                if (Files.isDirectory(dir)) {
                    found.add(dir);
                }
            }
        } catch (IOException e) {
            log.warn("task {}: cannot list cgroup controllers under {}: {}", taskId, root, e.toString());
            return;
        }
        for (Path dir : found) {
            // Cgroups are removed with rmdir, children first; their control files go with them.
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                log.warn("task {}: cannot remove cgroup {}: {}", taskId, dir, e.toString());
            }
        }
    }

    /** The {@code oom_kill} counter of the task's {@code memory.oom_control} (Linux 4.13 and later). */
    @Override
    public long oomKills(String taskId) {
        Path control = root.resolve("memory").resolve(parentName).resolve(taskId).resolve("memory.oom_control");
        try {
            for (String line : Files.readAllLines(control, StandardCharsets.US_ASCII)) {
                if (line.startsWith("oom_kill ")) {
                    return Long.parseLong(line.substring("oom_kill ".length()).strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.debug("task {}: cannot read {}: {}", taskId, control, e.toString());
        }
        return 0;
    }

    private static void write(Path file, long value) throws IOException {
        Files.writeString(file, Long.toString(value), StandardCharsets.US_ASCII);
    }
}
