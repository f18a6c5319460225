package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.CLIENT;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.assertRejected;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.container;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.request;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.valid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.model.ecs.ContainerDefinition;
import org.junit.jupiter.api.Test;

class TaskDefinitionResourcesTest {

    private static ContainerDefinition.Builder unlimited(String name) {
        return container(name).memory(null);
    }

    @Test
    void containerWithOnlyMemoryReservationIsAccepted() {
        assertThat(valid(request(unlimited("app").memoryReservation(128).build())).containerDefinitions().get(0).memoryReservation())
                .isEqualTo(128);
    }

    @Test
    void containerWithoutMemoryIsAcceptedWhenTheTaskHasMemory() {
        assertThat(valid(request(unlimited("app").build()).memory("512")).memory()).isEqualTo("512");
    }

    @Test
    void containerWithoutMemoryIsRejectedWhenTheTaskHasNone() {
        assertRejected(request(unlimited("my-container").build()), CLIENT,
                "Invalid setting for container 'my-container'. At least one of 'memory' or 'memoryReservation' must be specified.");
    }

    @Test
    void memoryOfSixMebibytesIsAccepted() {
        assertThat(valid(request(container("app").memory(6).build())).containerDefinitions().get(0).memory()).isEqualTo(6);
    }

    @Test
    void memoryBelowSixMebibytesIsRejected() {
        assertRejected(request(container("app").memory(5).build()), CLIENT,
                "Invalid 'memory' setting for container 'app'. The minimum allowed memory is 6 MiB.");
    }

    @Test
    void zeroMemoryIsRejected() {
        assertRejected(request(container("app").memory(0).build()), CLIENT,
                "Invalid 'memory' setting for container 'app'. The minimum allowed memory is 6 MiB.");
    }

    @Test
    void memoryReservationBelowSixMebibytesIsRejected() {
        assertRejected(request(unlimited("app").memoryReservation(4).build()), CLIENT,
                "Invalid 'memoryReservation' setting for container 'app'. The minimum allowed memoryReservation is 6 MiB.");
    }

    @Test
    void memoryAboveMemoryReservationIsAccepted() {
        ContainerDefinition stored = valid(request(container("app").memory(300).memoryReservation(128).build())).containerDefinitions().get(0);
        assertThat(stored.memory()).isEqualTo(300);
        assertThat(stored.memoryReservation()).isEqualTo(128);
    }

    @Test
    void memoryEqualToMemoryReservationIsAccepted() {
        assertThat(valid(request(container("app").memory(256).memoryReservation(256).build())).containerDefinitions()).hasSize(1);
    }

    @Test
    void memoryReservationAboveMemoryIsRejected() {
        assertRejected(request(container("app").memory(128).memoryReservation(256).build()), CLIENT,
                "Invalid setting for container 'app'. 'memoryReservation' must not be greater than 'memory'.");
    }

    @Test
    void containerMemoryAboveTaskMemoryIsRejected() {
        assertRejected(request(container("worker").memory(4096).build()).memory("2048"), CLIENT,
                "The 'memory' setting for container 'worker' is greater than for the task.");
    }

    @Test
    void containerMemoryReservationAboveTaskMemoryIsRejected() {
        assertRejected(request(unlimited("worker").memoryReservation(4096).build()).memory("2048"), CLIENT,
                "The 'memoryReservation' setting for container 'worker' is greater than for the task.");
    }

    @Test
    void reservationsThatFitTheTaskMemoryAreAccepted() {
        assertThat(valid(request(container("a").memory(1024).build(), unlimited("b").memoryReservation(1024).build()).memory("2048"))
                .containerDefinitions()).hasSize(2);
    }

    @Test
    void reservationsAddingUpAboveTheTaskMemoryAreRejected() {
        assertRejected(request(container("a").memory(1024).build(), unlimited("b").memoryReservation(1536).build()).memory("2048"), CLIENT,
                "The total memory reserved by the containers (2560 MiB) is greater than the task memory (2048 MiB).");
    }

    @Test
    void softLimitCountsInsteadOfHardLimitInTheTotal() {
        ContainerDefinition bursty = container("a").memory(2048).memoryReservation(512).build();
        assertThat(valid(request(bursty, container("b").memory(1024).build()).memory("2048")).containerDefinitions()).hasSize(2);
    }

    @Test
    void containerCpuWithinTheTaskCpuIsAccepted() {
        assertThat(valid(request(container("a").cpu(256).build(), container("b").cpu(256).build()).cpu("512"))
                .containerDefinitions()).extracting(ContainerDefinition::cpu).containsExactly(256, 256);
    }

    @Test
    void containerCpuAboveTheTaskCpuIsRejected() {
        assertRejected(request(container("a").cpu(1024).build()).cpu("512"), CLIENT,
                "The 'cpu' setting for container 'a' is greater than for the task.");
    }

    @Test
    void containerCpuAddingUpAboveTheTaskCpuIsRejected() {
        assertRejected(request(container("a").cpu(512).build(), container("b").cpu(256).build()).cpu("512"), CLIENT,
                "The total cpu reserved by the containers (768 units) is greater than the task cpu (512 units).");
    }

    @Test
    void negativeContainerCpuIsRejected() {
        assertRejected(request(container("a").cpu(-1).build()), CLIENT, "Invalid 'cpu' setting for container 'a'.");
    }

    @Test
    void containerCpuWithoutTaskCpuIsUnbounded() {
        assertThat(valid(request(container("a").cpu(4096).build())).containerDefinitions().get(0).cpu()).isEqualTo(4096);
    }
}
