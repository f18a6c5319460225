package dev.stevedore.agent.host;

import dev.stevedore.agent.runtime.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CapabilitiesTest {

    @Test
    void remoteApiVersionsRunFromTheFirstEcsNamesToTheEngines() {
        assertThat(Capabilities.of(host("1.43", 2, "systemd"), false, false))
                .filteredOn(n -> n.contains("docker-remote-api"))
                .hasSize(43 - 17 + 1)
                .startsWith("com.amazonaws.ecs.capability.docker-remote-api.1.17")
                .endsWith("com.amazonaws.ecs.capability.docker-remote-api.1.43");
        assertThat(Capabilities.of(host("garbage", 2, "systemd"), false, false)).noneMatch(n -> n.contains("docker-remote-api"));
    }

    @Test
    void taskLimitsAreClaimedOnlyWhereTheEngineMakesTaskCgroups(@TempDir Path root) throws Exception {
        assertThat(Capabilities.of(host("1.41", 1, "cgroupfs"), true, false)).contains("ecs.capability.task-cpu-mem-limit");
        assertThat(Capabilities.of(host("1.41", 1, "cgroupfs"), false, false)).doesNotContain("ecs.capability.task-cpu-mem-limit");

        assertThat(Capabilities.taskLimitsEnforced(host("1.41", 1, "cgroupfs"), root)).isFalse();
        Files.createDirectories(root.resolve("cpu"));
        Files.createDirectories(root.resolve("memory"));
        assertThat(Capabilities.taskLimitsEnforced(host("1.41", 1, "cgroupfs"), root)).isTrue();
        assertThat(Capabilities.taskLimitsEnforced(host("1.41", 2, "cgroupfs"), root)).isFalse();
        assertThat(Capabilities.taskLimitsEnforced(host("1.41", 1, "systemd"), root)).isFalse();
    }

    @Test
    void taskRolesAreClaimedOnlyWhereTheAgentServesTheirCredentials() {
        assertThat(Capabilities.of(host("1.41", 2, "systemd"), false, true))
                .contains("com.amazonaws.ecs.capability.task-iam-role")
                .doesNotContain("com.amazonaws.ecs.capability.task-iam-role-network-host");
        assertThat(Capabilities.of(host("1.41", 2, "systemd"), false, false))
                .doesNotContain("com.amazonaws.ecs.capability.task-iam-role");
    }

    @Test
    void awslogsIsClaimedOnlyWhereTheDockerDaemonCanBeRoutedToTheExecutionRolesCredentials() {
        assertThat(Capabilities.of(host("1.41", 2, "systemd"), false, true))
                .contains("com.amazonaws.ecs.capability.logging-driver.awslogs", "ecs.capability.execution-role-awslogs");
        assertThat(Capabilities.of(host("1.41", 2, "systemd"), false, false))
                .contains("com.amazonaws.ecs.capability.logging-driver.json-file")
                .doesNotContain("com.amazonaws.ecs.capability.logging-driver.awslogs", "ecs.capability.execution-role-awslogs");
    }

    private static HostInfo host(String api, int cgroupVersion, String driver) {
        return new HostInfo(4096, 2, "24.0.0", api, cgroupVersion, driver, "6.1", "Debian", "x86_64");
    }
}
