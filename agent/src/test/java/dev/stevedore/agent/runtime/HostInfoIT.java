package dev.stevedore.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.agent.runtime.ContainerRuntimeException.Kind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostInfoIT extends RuntimeITBase {

    @Test
    void reportsTheHostsResourcesAndTheEnginesVersions() throws IOException {
        HostInfo info = runtime.hostInfo();

        long memTotalKiB = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
        assertThat(info.totalMemoryMiB()).isEqualTo(memTotalKiB / 1024);
        assertThat(info.cpuCount()).isBetween(1, Runtime.getRuntime().availableProcessors() * 4);
        assertThat(info.serverVersion())
                .isEqualTo(DockerTestSupport.dockerCli("version", "--format", "{{.Server.Version}}").strip());
        assertThat(info.apiVersion())
                .isEqualTo(DockerTestSupport.dockerCli("version", "--format", "{{.Server.APIVersion}}").strip());
        assertThat(info.cgroupVersion()).isEqualTo(Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? 2 : 1);
        assertThat(info.cgroupDriver()).isIn("cgroupfs", "systemd");
        assertThat(info.operatingSystem()).isNotBlank();
        assertThat(info.architecture()).isEqualTo("x86_64");
    }

    @Test
    void engineThatIsNotThereIsUnavailable() {
        URI nowhere = URI.create("unix:///tmp/stevedore-no-engine-" + DockerTestSupport.RUN_ID + ".sock");
        try (DockerContainerRuntime absent = DockerContainerRuntime.connect(nowhere)) {
            assertThatThrownBy(absent::hostInfo)
                    .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ENGINE_UNAVAILABLE));
            assertThatThrownBy(() -> absent.createContainer(DockerTestSupport.spec("nowhere").build()))
                    .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ENGINE_UNAVAILABLE));
            assertThatThrownBy(() -> absent.pullImage("127.0.0.1:1/x:1", Optional.empty()))
                    .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ENGINE_UNAVAILABLE));
            assertThatThrownBy(() -> absent.subscribe(Map.of(), event -> { }))
                    .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ENGINE_UNAVAILABLE));
        }
    }
}
