package dev.stevedore.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.agent.runtime.ContainerState;
import dev.stevedore.agent.runtime.ContainerStatus;
import dev.stevedore.agent.runtime.HealthStatus;
import dev.stevedore.agent.runtime.PortBinding;
import dev.stevedore.agent.runtime.Protocol;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.NetworkBinding;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ObservationsTest {

    private static final ContainerDefinition DEF = TestTasks.container("web").portMappings(List.of(TestTasks.port(80))).build();
    private static final ContainerRecord CREATED = ContainerRecord.found("web", "id", "ecs-web");

    private static ContainerStatus status(ContainerState state, OptionalInt exit, boolean oom, List<PortBinding> ports) {
        return new ContainerStatus("id", "ecs-web", TestTasks.IMAGE, "sha256:x", state, exit,
                Optional.of(Instant.parse("2025-01-01T00:00:00Z")), Optional.empty(), oom, HealthStatus.HEALTHY, ports, Map.of(),
                Map.of(), new ContainerStatus.Limits(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty()), Optional.empty(),
                Optional.empty());
    }

    @Test
    void aRunningContainerGetsItsActualBindings() {
        ContainerRecord r = Observations.observe(CREATED, Optional.of(status(ContainerState.RUNNING, OptionalInt.empty(), false,
                List.of(new PortBinding(80, Protocol.TCP, "0.0.0.0", 49200), new PortBinding(80, Protocol.TCP, "::", 49200)))), "bridge", DEF);

        assertThat(r.phase()).isEqualTo(ContainerPhase.RUNNING);
        assertThat(r.started()).isTrue();
        assertThat(r.health()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(r.networkBindings()).containsExactly(
                NetworkBinding.builder().bindIP("0.0.0.0").containerPort(80).hostPort(49200).protocol("tcp").build(),
                NetworkBinding.builder().bindIP("::").containerPort(80).hostPort(49200).protocol("tcp").build());
    }

    @Test
    void hostModeBindingsAreTheContainerPorts() {
        ContainerRecord r = Observations.observe(CREATED, Optional.of(status(ContainerState.RUNNING, OptionalInt.empty(), false, List.of())),
                "host", DEF);

        assertThat(r.networkBindings()).containsExactly(
                NetworkBinding.builder().bindIP("0.0.0.0").containerPort(80).hostPort(80).protocol("tcp").build());
    }

    @Test
    void anExitedContainerStopsWithItsCodeAndOutOfMemoryIsNamed() {
        ContainerRecord exited = Observations.observe(CREATED, Optional.of(status(ContainerState.EXITED, OptionalInt.of(3), false, List.of())),
                "bridge", DEF);
        ContainerRecord killed = Observations.observe(CREATED, Optional.of(status(ContainerState.EXITED, OptionalInt.of(137), true, List.of())),
                "bridge", DEF);

        assertThat(exited.phase()).isEqualTo(ContainerPhase.STOPPED);
        assertThat(exited.exitCode()).hasValue(3);
        assertThat(exited.reason()).isEmpty();
        assertThat(killed.reason()).hasValue(Observations.OOM_REASON);
    }

    @Test
    void aVanishedContainerStopsWithAClearReason() {
        ContainerRecord gone = Observations.observe(CREATED.running(HealthStatus.NONE, List.of()), Optional.empty(), "bridge", DEF);

        assertThat(gone.phase()).isEqualTo(ContainerPhase.STOPPED);
        assertThat(gone.reason()).hasValue("Docker container was removed outside of the agent");
        assertThat(gone.exitCode()).isEmpty();
    }

    @Test
    void aStoppedContainerNeverComesBack() {
        ContainerRecord stopped = CREATED.exited(true, OptionalInt.of(0), Optional.empty(), HealthStatus.NONE);

        assertThat(Observations.observe(stopped, Optional.of(status(ContainerState.RUNNING, OptionalInt.empty(), false, List.of())),
                "bridge", DEF)).isEqualTo(stopped);
    }
}
