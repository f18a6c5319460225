package dev.stevedore.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerSpecTest {

    private static ContainerSpec.Builder base() {
        return ContainerSpec.builder("app-1", "busybox");
    }

    @Test
    void defaultsAreTheEnginesDefaults() {
        ContainerSpec spec = base().build();

        assertThat(spec.command()).isEmpty();
        assertThat(spec.networkMode()).isEqualTo(NetworkMode.bridge());
        assertThat(spec.memoryMiB()).isEmpty();
        assertThat(spec.healthCheck()).isEmpty();
        assertThat(spec.privileged()).isFalse();
    }

    @Test
    void collectionsAreCopiedSoLaterChangesDoNotLeakIn() {
        Map<String, String> env = new HashMap<>(Map.of("A", "1"));
        ContainerSpec spec = base().environment(env).build();
        env.put("B", "2");

        assertThat(spec.environment()).containsOnlyKeys("A");
        assertThatThrownBy(() -> spec.labels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toBuilderKeepsEveryValue() {
        ContainerSpec spec = base()
                .command("sh", "-c", "true").env("K", "V").user("nobody").memoryMiB(64).memoryReservationMiB(32)
                .portMapping(PortMapping.tcp(80)).mountPoint(MountPoint.volume("data", "/data", true))
                .healthCheck(HealthCheck.shell("true")).stopTimeout(Duration.ofSeconds(5)).dnsServer("10.0.0.2")
                .build();

        assertThat(spec.toBuilder().build()).isEqualTo(spec);
        assertThat(spec.toBuilder().name("app-2").build().name()).isEqualTo("app-2");
    }

    @Test
    void namesFollowDockersRule() {
        assertThatThrownBy(() -> ContainerSpec.builder("-bad", "busybox").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContainerSpec.builder("has space", "busybox").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContainerSpec.builder("x", "busybox").build()).isInstanceOf(IllegalArgumentException.class);
        assertThat(ContainerSpec.builder("ecs-web-1-app-a1b2c3", "busybox").build().name()).isEqualTo("ecs-web-1-app-a1b2c3");
    }

    @Test
    void memoryLimitsAreChecked() {
        assertThatThrownBy(() -> base().memoryMiB(4).build()).hasMessageContaining("at least 6 MiB");
        assertThatThrownBy(() -> base().memoryMiB(64).memoryReservationMiB(128).build()).hasMessageContaining("exceeds");
        assertThat(base().memoryReservationMiB(128).build().memoryReservationMiB()).hasValue(128);
    }

    @Test
    void cpuSharesStayInTheKernelsRange() {
        assertThatThrownBy(() -> base().cpuShares(1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().cpuShares(262_145).build()).isInstanceOf(IllegalArgumentException.class);
        assertThat(base().cpuShares(2).build().cpuShares()).hasValue(2);
    }

    @Test
    void portMappingsNeedANetworkTheContainerOwns() {
        assertThatThrownBy(() -> base().networkMode(NetworkMode.none()).portMapping(PortMapping.tcp(80)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().networkMode(NetworkMode.container("pause")).portMapping(PortMapping.tcp(80)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base().networkMode(NetworkMode.host()).portMapping(PortMapping.tcp(80, 8080)).build())
                .hasMessageContaining("host mode");
        assertThat(base().networkMode(NetworkMode.host()).portMapping(PortMapping.tcp(80, 80)).build().portMappings()).hasSize(1);
    }

    @Test
    void linksNeedBridgeMode() {
        assertThatThrownBy(() -> base().networkMode(NetworkMode.host()).link(new ContainerLink("db", "db")).build())
                .hasMessageContaining("bridge");
    }

    @Test
    void mountSourcesMustMatchTheirKind() {
        assertThatThrownBy(() -> MountPoint.bind("relative/path", "/data", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MountPoint.volume("/abs", "/data", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MountPoint.volume("data", "relative", false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void healthCheckCommandMustSayHowToRunIt() {
        assertThatThrownBy(() -> new HealthCheck(List.of("curl", "localhost"), Duration.ofSeconds(5), Duration.ofSeconds(2), 3, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(HealthCheck.shell("true").interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(HealthCheck.shell("true").retries()).isEqualTo(3);
    }

    @Test
    void networkModesReadTheEnginesSpelling() {
        assertThat(NetworkMode.parse("bridge")).isEqualTo(NetworkMode.bridge());
        assertThat(NetworkMode.parse("default")).isEqualTo(NetworkMode.bridge());
        assertThat(NetworkMode.parse("container:abc")).isEqualTo(NetworkMode.container("abc"));
        assertThat(NetworkMode.parse("task-net")).isEqualTo(new NetworkMode.Network("task-net"));
        assertThat(NetworkMode.container("abc").dockerValue()).isEqualTo("container:abc");
    }

    @Test
    void registryPasswordStaysOutOfToString() {
        assertThat(new RegistryAuth("AWS", "s3cr3t").toString()).doesNotContain("s3cr3t").contains("AWS");
    }
}
