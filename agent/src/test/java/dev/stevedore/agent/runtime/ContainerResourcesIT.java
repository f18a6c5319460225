package dev.stevedore.agent.runtime;

import static dev.stevedore.agent.runtime.DockerTestSupport.run;
import static dev.stevedore.agent.runtime.DockerTestSupport.runToExit;
import static dev.stevedore.agent.runtime.DockerTestSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ContainerResourcesIT extends RuntimeITBase {

    @Test
    void memoryLimitsAndCpuSharesAreAppliedByTheEngine() {
        String id = run(runtime, spec("limits")
                .memoryMiB(64)
                .memoryReservationMiB(32)
                .cpuShares(512)
                .command("sleep", "60")
                .build());

        ContainerStatus.Limits limits = runtime.inspectContainer(id).limits();

        assertThat(limits.memoryMiB()).hasValue(64);
        assertThat(limits.memoryReservationMiB()).hasValue(32);
        assertThat(limits.cpuShares()).hasValue(512);
    }

    @Test
    void usageReadsCpuTimeThatGrowsWhileTheContainerBurnsAndItsMemory() throws InterruptedException {
        String id = run(runtime, spec("burner").command("sh", "-c", "while :; do :; done").build());

        ContainerUsage first = runtime.usage(id);
        Thread.sleep(500);
        ContainerUsage second = runtime.usage(id);

        assertThat(second.readAt()).isAfter(first.readAt());
        assertThat(second.cpuNanos()).isGreaterThan(first.cpuNanos());
        assertThat(second.memoryBytes()).isPositive();
        assertThatThrownBy(() -> runtime.usage("stevedore-no-such-container"))
                .isInstanceOfSatisfying(ContainerRuntimeException.class,
                        e -> assertThat(e.kind()).isEqualTo(ContainerRuntimeException.Kind.NOT_FOUND));
    }

    @Test
    void containerWithoutLimitsReportsNone() {
        String id = runtime.createContainer(spec("nolimits").command("true").build());

        ContainerStatus.Limits limits = runtime.inspectContainer(id).limits();

        assertThat(limits.memoryMiB()).isEmpty();
        assertThat(limits.memoryReservationMiB()).isEmpty();
        assertThat(limits.cpuShares()).isEmpty();
    }

    @Test
    void exceedingTheMemoryLimitIsAnOutOfMemoryKill() {
        // Holds a 100 MB string in the shell, far above the 16 MiB limit (and its swap allowance).
        ContainerStatus done = runToExit(runtime, spec("oom")
                .memoryMiB(16)
                .command("sh", "-c", "x=$(head -c 100000000 /dev/zero | tr '\\0' a); echo survived")
                .build());

        assertThat(done.oomKilled()).isTrue();
        assertThat(done.exitCode()).hasValue(137);
        assertThat(runtime.logs(done.id()).stdout()).doesNotContain("survived");
    }

    @Test
    void ulimitsApplyToTheProcess() {
        ContainerStatus done = runToExit(runtime, spec("ulimit")
                .ulimit(new Ulimit("nofile", 1024, 2048))
                .command("sh", "-c", "ulimit -Sn; ulimit -Hn")
                .build());

        assertThat(runtime.logs(done.id()).stdout().lines()).containsExactly("1024", "2048");
    }

    @Test
    void readOnlyRootFilesystemRejectsWrites() {
        ContainerStatus done = runToExit(runtime, spec("readonly")
                .readonlyRootFilesystem(true)
                .command("sh", "-c", "touch /written && echo wrote")
                .build());

        assertThat(done.exitCode().orElseThrow()).isNotZero();
        assertThat(runtime.logs(done.id()).stderr()).contains("Read-only file system");
    }

    @Test
    void privilegedContainerAsksForEveryCapability() throws IOException {
        String id = runtime.createContainer(spec("priv").privileged(true).command("grep", "CapEff", "/proc/self/status").build());
        assertThat(DockerTestSupport.dockerCli("inspect", "--format", "{{.HostConfig.Privileged}}", id).strip()).isEqualTo("true");

        // Some sandboxes (this project's build machines among them) run the engine without
        // CAP_SYS_RESOURCE in its bounding set; runc cannot grant what it lacks and refuses to start.
        if (hostBoundingSetIsComplete()) {
            runtime.startContainer(id);
            runtime.awaitExit(id, java.time.Duration.ofSeconds(20)).orElseThrow();
            assertThat(runtime.logs(id).stdout().strip()).isEqualTo("CapEff:\t" + allCapabilities());
        } else {
            assertThatThrownBy(() -> runtime.startContainer(id))
                    .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ContainerRuntimeException.Kind.START_FAILED);
                        assertThat(e.getMessage()).contains("caps");
                    });
        }
    }

    private static boolean hostBoundingSetIsComplete() throws IOException {
        String bounding = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("CapBnd:"))
                .findFirst().orElseThrow()
                .substring("CapBnd:".length()).strip();
        return bounding.equals(allCapabilities());
    }

    /** The capability mask with every capability the kernel knows, as /proc prints it. */
    private static String allCapabilities() throws IOException {
        int last = Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/cap_last_cap")).strip());
        return String.format("%016x", (1L << (last + 1)) - 1);
    }

    @Test
    void cgroupParentPlacesTheContainerUnderIt() throws IOException {
        String parent = "/stevedore-it-" + DockerTestSupport.RUN_ID;
        try {
            ContainerStatus done = runToExit(runtime, spec("cgroup")
                    .cgroupParent(parent)
                    .memoryMiB(32)
                    .command("cat", "/proc/self/cgroup")
                    .build());

            assertThat(runtime.logs(done.id()).stdout()).contains(parent + "/" + done.id());
        } finally {
            DockerTestSupport.removeTestContainers(runtime);
            removeCgroupDirectories(parent.substring(1));
        }
    }

    /** The engine creates the parent cgroup and leaves it behind, empty, in every hierarchy. */
    private static void removeCgroupDirectories(String name) throws IOException {
        List<Path> found;
        try (Stream<Path> walk = Files.walk(Path.of("/sys/fs/cgroup"), 2)) {
            found = walk.filter(p -> p.getFileName() != null && p.getFileName().toString().equals(name)).toList();
        }
        for (Path dir : found) {
            try (Stream<Path> children = Files.walk(dir)) {
                // Child cgroups first; cgroup directories are removed with rmdir, never by deleting files.
                for (Path p : children.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
