package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.CLIENT;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.assertRejected;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.container;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.request;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.valid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.model.ecs.TaskDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TaskDefinitionSizeTest {

    @ParameterizedTest(name = "cpu \"{0}\" is stored as \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "1024|1024", "1 vCPU|1024", "1 vcpu|1024", "1vCPU|1024", "0.5 vCPU|512", ".25 vCPU|256",
            "2 vcpus|2048", "0.125 vCPU|128", " 256 |256", "192 vCPU|196608", "1024.0|1024"})
    void cpuIsStoredInCpuUnits(String given, String stored) {
        assertThat(valid(request(container("app").build()).cpu(given)).cpu()).isEqualTo(stored);
    }

    @ParameterizedTest(name = "memory \"{0}\" is stored as \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "2048|2048", "1GB|1024", "1 GB|1024", "1 gb|1024", "0.5GB|512", "2 GiB|2048", "512 MiB|512", "512MB|512"})
    void memoryIsStoredInMebibytes(String given, String stored) {
        assertThat(valid(request(container("app").build()).memory(given)).memory()).isEqualTo(stored);
    }

    @Test
    void absentCpuAndMemoryStayAbsent() {
        TaskDefinition stored = valid(request(container("app").build()));
        assertThat(stored.cpu()).isNull();
        assertThat(stored.memory()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1 core", "-256", "256.5", "1 vCPU extra", "127", "0", "196609", "200 vCPU"})
    void unreadableOrOutOfRangeCpuIsRejected(String cpu) {
        assertRejected(request(container("app").build()).cpu(cpu), CLIENT, "Invalid 'cpu' setting for task.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "lots", "1 TB", "-512", "0", "0 GB", "512.5", "99999999999"})
    void unreadableOrNonPositiveMemoryIsRejected(String memory) {
        assertRejected(request(container("app").build()).memory(memory), CLIENT, "Invalid 'memory' setting for task.");
    }
}
