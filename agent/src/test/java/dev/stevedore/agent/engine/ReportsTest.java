package dev.stevedore.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.agent.runtime.HealthStatus;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.ContainerStateChange;
import dev.stevedore.model.ecs.NetworkBinding;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ReportsTest {

    private static final String ARN = TestTasks.ACCOUNT_PREFIX + "task/c/77";
    private static final String CLUSTER = TestTasks.ACCOUNT_PREFIX + "cluster/c";
    private static final NetworkBinding BINDING =
            NetworkBinding.builder().bindIP("0.0.0.0").containerPort(80).hostPort(49153).protocol("tcp").build();

    private final TaskAssignment a = TestTasks.task(ARN, "web")
            .container(TestTasks.container("web"))
            .container(TestTasks.container("later").essential(false))
            .build();
    private final TaskRecord running = TaskRecord.fresh(a)
            .withPullStarted(Instant.parse("2025-01-01T00:00:00Z"))
            .withImagesPulled(Instant.parse("2025-01-01T00:00:02Z"))
            .withContainers(c -> c.name().equals("web") ? c.created("ecs-web", "d0c").running(HealthStatus.NONE, List.of(BINDING)) : c)
            .running();

    @Test
    void aRunningTaskCarriesPullTimesAndItsRunningContainersWithBindings() {
        Report.TaskChange change = Reports.task(CLUSTER, running);
        SubmitTaskStateChangeRequest r = change.request();

        assertThat(r.cluster()).isEqualTo(CLUSTER);
        assertThat(r.task()).isEqualTo(ARN);
        assertThat(r.status()).isEqualTo("RUNNING");
        assertThat(r.reason()).isNull();
        assertThat(r.pullStartedAt()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(r.pullStoppedAt()).isEqualTo(Instant.parse("2025-01-01T00:00:02Z"));
        assertThat(r.executionStoppedAt()).isNull();
        assertThat(r.containers()).containsExactly(ContainerStateChange.builder()
                .containerName("web").runtimeId("d0c").status("RUNNING").networkBindings(List.of(BINDING)).build());
        assertThat(change.carried()).containsOnlyKeys("web");
    }

    @Test
    void aStoppedTaskCarriesEveryContainerWithExitCodesAndTheReason() {
        TaskRecord stopped = running
                .withContainers(c -> c.name().equals("web") ? c.exited(true, OptionalInt.of(2), Optional.empty(), HealthStatus.NONE) : c)
                .stopping(StopCause.essentialExited())
                .stopped(Instant.parse("2025-01-01T00:01:00Z"));

        SubmitTaskStateChangeRequest r = Reports.task(CLUSTER, stopped).request();

        assertThat(r.status()).isEqualTo("STOPPED");
        assertThat(r.reason()).isEqualTo("Essential container in task exited");
        assertThat(r.executionStoppedAt()).isEqualTo(Instant.parse("2025-01-01T00:01:00Z"));
        assertThat(r.containers()).extracting(ContainerStateChange::containerName, ContainerStateChange::status, ContainerStateChange::exitCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web", "STOPPED", 2), org.assertj.core.groups.Tuple.tuple("later", "STOPPED", null));
    }

    @Test
    void aContainerChangeNamesTheTaskAndTheRuntimeId() {
        var r = Reports.container(CLUSTER, running, running.container("web").orElseThrow()).request();

        assertThat(r.task()).isEqualTo(ARN);
        assertThat(r.containerName()).isEqualTo("web");
        assertThat(r.runtimeId()).isEqualTo("d0c");
        assertThat(r.status()).isEqualTo("RUNNING");
        assertThat(r.networkBindings()).containsExactly(BINDING);
    }

    @Test
    void longReasonsAreCutToTheApiLimit() {
        TaskRecord failed = TaskRecord.fresh(a).withContainers(c -> c.failed("x".repeat(5000)));
        assertThat(Reports.container(CLUSTER, failed, failed.containers().get(0)).request().reason()).hasSize(Reports.MAX_REASON);
    }
}
