package dev.stevedore.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.agent.runtime.ContainerState;
import dev.stevedore.agent.runtime.ContainerStatus;
import dev.stevedore.agent.runtime.HealthStatus;
import dev.stevedore.model.agent.TaskAssignment;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AdoptionTest {

    private static final String ARN = TestTasks.ACCOUNT_PREFIX + "task/c/a1";
    private static final String OTHER = TestTasks.ACCOUNT_PREFIX + "task/c/b2";

    private static ContainerStatus found(String id, String engineName, String task, String container) {
        return new ContainerStatus(id, engineName, TestTasks.IMAGE, "sha256:x", ContainerState.RUNNING, OptionalInt.empty(),
                Optional.empty(), Optional.empty(), false, HealthStatus.NONE, List.of(), Map.of(),
                Map.of(Labels.TASK_ARN, task, Labels.CONTAINER_NAME, container),
                new ContainerStatus.Limits(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty()), Optional.empty(),
                Optional.empty());
    }

    private final TaskAssignment assignment = TestTasks.task(ARN, "web")
            .container(TestTasks.container("web"))
            .container(TestTasks.container("side"))
            .build();

    @Test
    void aContainerCreatedButNotYetRecordedIsAttachedByItsLabels() {
        TaskRecord saved = TaskRecord.fresh(assignment)
                .withContainers(c -> c.name().equals("web") ? c.created("ecs-web", "id-web") : c.withDockerName("ecs-side"));

        List<TaskRecord> merged = Adoption.merge(List.of(saved),
                List.of(found("id-web", "ecs-web", ARN, "web"), found("id-side", "ecs-side", ARN, "side")));

        assertThat(merged).hasSize(1);
        assertThat(merged.get(0).container("side").orElseThrow().dockerId()).hasValue("id-side");
        assertThat(merged.get(0).container("side").orElseThrow().phase()).isEqualTo(ContainerPhase.CREATED);
        assertThat(merged.get(0).container("web").orElseThrow().dockerId()).hasValue("id-web");
    }

    private static ContainerStatus pause(String id, String engineName, String task, String attachmentArn) {
        return new ContainerStatus(id, engineName, PauseImage.IMAGE, "sha256:p", ContainerState.RUNNING, OptionalInt.empty(),
                Optional.empty(), Optional.empty(), false, HealthStatus.NONE, List.of(), Map.of(),
                Map.of(Labels.TASK_ARN, task, Labels.PAUSE_FOR_ATTACHMENT, attachmentArn),
                new ContainerStatus.Limits(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty()), Optional.empty(),
                Optional.empty());
    }

    @Test
    void aPauseContainerCreatedButNotYetRecordedIsAttachedAndIsNoContainerOfTheTask() {
        TaskAssignment awsvpc = TestTasks.task(ARN, "web").awsvpc(TestTasks.eni("subnet-1", "10.0.1.0/24", "10.0.1.9"))
                .container(TestTasks.container("web")).build();
        TaskRecord fresh = TaskRecord.fresh(awsvpc);
        TaskRecord saved = fresh.withNetwork(fresh.network().orElseThrow().withPauseName("ecs-pause"));

        List<TaskRecord> merged = Adoption.merge(List.of(saved),
                List.of(pause("id-pause", "ecs-pause", ARN, awsvpc.networkInterfaces().getFirst().attachmentArn())));

        assertThat(merged).singleElement().satisfies(r -> {
            assertThat(r.network()).hasValueSatisfying(n -> assertThat(n.pauseId()).hasValue("id-pause"));
            assertThat(r.containers()).extracting(ContainerRecord::name).containsExactly("web");
        });
    }

    @Test
    void aPauseContainerLeftAloneIsAnOrphanTaskSoThatItIsRemoved() {
        List<TaskRecord> merged = Adoption.merge(List.of(), List.of(pause("id-pause", "ecs-pause", OTHER, "arn:attachment")));

        assertThat(merged).singleElement().satisfies(r -> {
            assertThat(r.taskArn()).isEqualTo(OTHER);
            assertThat(r.containers()).isEmpty();
            assertThat(r.network()).hasValueSatisfying(n -> {
                assertThat(n.attachmentArn()).isEqualTo("arn:attachment");
                assertThat(n.pauseId()).hasValue("id-pause");
            });
        });
    }

    @Test
    void aContainerWithAnotherNameThanTheRecordedOneIsNotTaken() {
        TaskRecord saved = TaskRecord.fresh(assignment).withContainers(c -> c.withDockerName("ecs-" + c.name() + "-2"));

        List<TaskRecord> merged = Adoption.merge(List.of(saved), List.of(found("id-old", "ecs-web-1", ARN, "web")));

        assertThat(merged.get(0).container("web").orElseThrow().dockerId()).isEmpty();
    }

    @Test
    void containersOfATaskWithoutStateFileBecomeAnOrphanTask() {
        List<TaskRecord> merged = Adoption.merge(List.of(TaskRecord.fresh(assignment)),
                List.of(found("id-1", "ecs-x-1", OTHER, "app"), found("id-2", "ecs-x-2", OTHER, "sidecar")));

        assertThat(merged).hasSize(2);
        TaskRecord orphan = merged.get(1);
        assertThat(orphan.taskArn()).isEqualTo(OTHER);
        assertThat(orphan.assignment()).isEmpty();
        assertThat(orphan.containers()).extracting(ContainerRecord::name).containsExactly("app", "sidecar");
        assertThat(orphan.containers()).extracting(c -> c.dockerId().orElseThrow()).containsExactly("id-1", "id-2");
    }

    @Test
    void anOrphanLearnsItsDefinitionFromTheControlPlane() {
        TaskRecord orphan = TaskRecord.orphan(ARN, List.of(ContainerRecord.found("web", "id-web", "ecs-web")), Optional.empty());

        TaskRecord named = orphan.withAssignment(assignment);

        assertThat(named.containers()).extracting(ContainerRecord::name).containsExactly("web", "side");
        assertThat(named.container("web").orElseThrow().dockerId()).hasValue("id-web");
        assertThat(named.container("side").orElseThrow().phase()).isEqualTo(ContainerPhase.NONE);
    }
}
