package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.CLIENT;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.assertRejected;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.container;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.request;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.valid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.ContainerDependency;
import dev.stevedore.model.ecs.HealthCheck;
import dev.stevedore.model.ecs.VolumeFrom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskDefinitionDependenciesTest {

    private static ContainerDefinition dependsOn(String name, String target, String condition) {
        return container(name).dependsOn(List.of(ContainerDependency.builder().containerName(target).condition(condition).build())).build();
    }

    private static final HealthCheck CHECK = HealthCheck.builder().command(List.of("CMD-SHELL", "exit 0")).build();

    @Test
    void startDependencyOnAnotherContainerIsAccepted() {
        var stored = valid(request(dependsOn("app", "db", "START"), container("db").build()));
        assertThat(stored.containerDefinitions().get(0).dependsOn()).hasSize(1);
    }

    @Test
    void dependencyOnUnknownContainerIsRejected() {
        assertRejected(request(dependsOn("app", "sidecar-container", "START")), CLIENT,
                "Cannot depend on container + 'sidecar-container' because it does not exist");
    }

    @Test
    void dependencyOnItselfIsRejected() {
        assertRejected(request(dependsOn("app", "app", "START")), CLIENT, "Container 'app' cannot depend on itself");
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMPLETE", "SUCCESS"})
    void completionOfANonEssentialContainerCanBeAwaited(String condition) {
        var stored = valid(request(dependsOn("app", "migrate", condition), container("migrate").essential(false).build()));
        assertThat(stored.containerDefinitions()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMPLETE", "SUCCESS"})
    void completionOfAnEssentialContainerCannotBeAwaited(String condition) {
        assertRejected(request(dependsOn("app", "envoy", condition), container("envoy").build()), CLIENT,
                "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container");
    }

    @Test
    void healthyDependencyOnAContainerWithAHealthCheckIsAccepted() {
        var stored = valid(request(dependsOn("app", "db", "HEALTHY"), container("db").healthCheck(CHECK).build()));
        assertThat(stored.containerDefinitions()).hasSize(2);
    }

    @Test
    void healthyDependencyOnAContainerWithoutHealthCheckIsRejected() {
        assertRejected(request(dependsOn("app", "db", "HEALTHY"), container("db").build()), CLIENT,
                "Dependency container 'db' with HEALTHY condition does not have a healthCheck");
    }

    @Test
    void dependencyChainIsAccepted() {
        assertThat(valid(request(dependsOn("a", "b", "START"), dependsOn("b", "c", "START"), container("c").build()))
                .containerDefinitions()).hasSize(3);
    }

    @Test
    void dependencyCycleIsRejected() {
        assertRejected(request(dependsOn("a", "b", "START"), dependsOn("b", "c", "START"), dependsOn("c", "a", "START")), CLIENT,
                "Container dependencies contain a cycle involving container 'a'.");
    }

    @Test
    void twoContainersDependingOnTheSameOneIsNotACycle() {
        assertThat(valid(request(dependsOn("a", "c", "START"), dependsOn("b", "c", "START"), container("c").build()))
                .containerDefinitions()).hasSize(3);
    }

    @Test
    void volumesFromAnotherContainerIsAccepted() {
        ContainerDefinition app = container("app").volumesFrom(List.of(VolumeFrom.builder().sourceContainer("data").readOnly(true).build())).build();
        assertThat(valid(request(app, container("data").build())).containerDefinitions().get(0).volumesFrom()).hasSize(1);
    }

    @Test
    void volumesFromUnknownContainerIsRejected() {
        ContainerDefinition app = container("app").volumesFrom(List.of(VolumeFrom.builder().sourceContainer("data").build())).build();
        assertRejected(request(app), CLIENT, "Unknown container 'data' in volumesFrom of container 'app'.");
    }

    @Test
    void volumesFromItselfIsRejected() {
        ContainerDefinition app = container("app").volumesFrom(List.of(VolumeFrom.builder().sourceContainer("app").build())).build();
        assertRejected(request(app), CLIENT, "Container 'app' cannot mount volumes from itself.");
    }
}
