package dev.stevedore.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventActor;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerMappingTest {

    @Test
    void resourcesAndFlagsGoIntoTheHostConfig() {
        HostConfig host = DockerMapping.hostConfig(ContainerSpec.builder("app-1", "busybox")
                .cpuShares(256).memoryMiB(128).memoryReservationMiB(64)
                .ulimit(new Ulimit("nofile", 100, 200))
                .privileged(true).readonlyRootFilesystem(true)
                .cgroupParent("/ecs/task-1")
                .dnsServer("10.0.0.2")
                .extraHost(new ExtraHost("db", "10.0.0.9"))
                .build());

        assertThat(host.getCpuShares()).isEqualTo(256);
        assertThat(host.getMemory()).isEqualTo(128L * 1024 * 1024);
        assertThat(host.getMemoryReservation()).isEqualTo(64L * 1024 * 1024);
        assertThat(host.getUlimits()).singleElement().satisfies(u -> {
            assertThat(u.getName()).isEqualTo("nofile");
            assertThat(u.getSoftLong()).isEqualTo(100);
            assertThat(u.getHardLong()).isEqualTo(200);
        });
        assertThat(host.getPrivileged()).isTrue();
        assertThat(host.getReadonlyRootfs()).isTrue();
        assertThat(host.getCgroupParent()).isEqualTo("/ecs/task-1");
        assertThat(host.getDns()).containsExactly("10.0.0.2");
        assertThat(host.getExtraHosts()).containsExactly("db:10.0.0.9");
        assertThat(host.getNetworkMode()).isEqualTo("bridge");
    }

    @Test
    void dynamicPortOnEveryInterfaceLeavesAddressAndPortToTheEngine() {
        HostConfig host = DockerMapping.hostConfig(ContainerSpec.builder("app-1", "busybox")
                .portMapping(PortMapping.tcp(80))
                .portMapping(PortMapping.udp(53, 5353).onHostIp("127.0.0.1"))
                .build());

        Map<ExposedPort, Ports.Binding[]> bindings = host.getPortBindings().getBindings();
        assertThat(bindings.get(ExposedPort.tcp(80))).singleElement().satisfies(b -> {
            // docker-java sends empty values as absent; either way the engine picks.
            assertThat(b.getHostIp()).isNullOrEmpty();
            assertThat(b.getHostPortSpec()).isNullOrEmpty();
        });
        assertThat(bindings.get(ExposedPort.udp(53))).singleElement().satisfies(b -> {
            assertThat(b.getHostIp()).isEqualTo("127.0.0.1");
            assertThat(b.getHostPortSpec()).isEqualTo("5353");
        });
    }

    @Test
    void hostModeDropsPortBindings() {
        HostConfig host = DockerMapping.hostConfig(ContainerSpec.builder("app-1", "busybox")
                .networkMode(NetworkMode.host())
                .portMapping(PortMapping.tcp(80, 80))
                .build());

        assertThat(host.getPortBindings()).isNull();
        assertThat(host.getNetworkMode()).isEqualTo("host");
    }

    @Test
    void bindsAndVolumesCarryTheirAccessMode() {
        HostConfig host = DockerMapping.hostConfig(ContainerSpec.builder("app-1", "busybox")
                .mountPoint(MountPoint.bind("/srv/conf", "/etc/app", true))
                .mountPoint(MountPoint.volume("data", "/data", false))
                .volumeFrom(new VolumeFrom("sidecar", true))
                .build());

        assertThat(host.getBinds()).extracting(Bind::getPath, b -> b.getVolume().getPath(), Bind::getAccessMode)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/srv/conf", "/etc/app", AccessMode.ro),
                        org.assertj.core.groups.Tuple.tuple("data", "/data", AccessMode.rw));
        assertThat(host.getVolumesFrom()).singleElement().satisfies(v -> {
            assertThat(v.getContainer()).isEqualTo("sidecar");
            assertThat(v.getAccessMode()).isEqualTo(AccessMode.ro);
        });
    }

    @Test
    void stopTimeoutRoundsUpToWholeSeconds() {
        assertThat(DockerMapping.seconds(Duration.ofMillis(1500))).isEqualTo(2);
        assertThat(DockerMapping.seconds(Duration.ofSeconds(30))).isEqualTo(30);
        assertThat(DockerMapping.seconds(Duration.ZERO)).isZero();
    }

    @Test
    void engineTimesOfYearOneMeanNever() {
        assertThat(DockerMapping.timestamp("0001-01-01T00:00:00Z")).isEmpty();
        assertThat(DockerMapping.timestamp("2026-11-26T15:15:39.235702315Z"))
                .hasValue(Instant.parse("2026-11-26T15:15:39.235702315Z"));
        assertThat(DockerMapping.timestamp("")).isEmpty();
    }

    @Test
    void dieEventCarriesExitCodeNameAndTime() {
        Event raw = event("die", Map.of("name", "web", "exitCode", "3", "team", "a"), 1_700_000_000_123_456_789L);

        ContainerEvent e = DockerMapping.event(raw).orElseThrow();

        assertThat(e.type()).isEqualTo(ContainerEvent.Type.DIE);
        assertThat(e.containerId()).isEqualTo("c1");
        assertThat(e.containerName()).isEqualTo("web");
        assertThat(e.exitCode()).hasValue(3);
        assertThat(e.time()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 123_456_789L));
        assertThat(e.attributes()).containsEntry("team", "a");
    }

    @Test
    void healthEventReadsTheStatusFromTheAction() {
        ContainerEvent e = DockerMapping.event(event("health_status: unhealthy", Map.of("name", "web"), 1L)).orElseThrow();

        assertThat(e.type()).isEqualTo(ContainerEvent.Type.HEALTH_STATUS);
        assertThat(e.health()).hasValue(HealthStatus.UNHEALTHY);
        assertThat(e.exitCode()).isEmpty();
    }

    @Test
    void otherActionsAreNotPassedOn() {
        assertThat(DockerMapping.event(event("attach", Map.of(), 1L))).isEmpty();
        assertThat(DockerMapping.event(event("exec_start: sh", Map.of(), 1L))).isEmpty();
    }

    @Test
    void sinceParameterKeepsNanoseconds() {
        assertThat(DockerEventStream.sinceParameter(1_700_000_000_000_000_042L)).isEqualTo("1700000000.000000042");
    }

    private static Event event(String action, Map<String, String> attributes, long timeNano) {
        return new Event().withAction(action)
                .withEventActor(new EventActor().withId("c1").withAttributes(attributes))
                .withTimenano(timeNano);
    }
}
