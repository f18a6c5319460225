package dev.stevedore.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.agent.engine.Dependency.Condition;
import dev.stevedore.model.ecs.ContainerDefinition;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DependencyOrderTest {

    private static PlannedContainer c(String name, Dependency... deps) {
        return new PlannedContainer(name, ContainerDefinition.builder().name(name).build(), true, Arrays.asList(deps),
                Duration.ofSeconds(30), Optional.empty());
    }

    private static Dependency on(String name) {
        return new Dependency(name, Condition.START);
    }

    @Test
    void withoutDependenciesTheDefinitionOrderIsKept() {
        assertThat(DependencyOrder.startOrder(List.of(c("a"), c("b"), c("c")))).containsExactly("a", "b", "c");
    }

    @Test
    void dependenciesComeFirstOtherwiseDefinitionOrder() {
        List<PlannedContainer> containers = List.of(
                c("app", on("db"), new Dependency("init", Condition.SUCCESS)),
                c("sidecar"),
                c("db"),
                c("init"),
                c("proxy", on("app")));

        assertThat(DependencyOrder.startOrder(containers)).containsExactly("sidecar", "db", "init", "app", "proxy");
    }

    @Test
    void aCycleIsRefusedNamingItsContainers() {
        assertThatThrownBy(() -> DependencyOrder.startOrder(List.of(c("a", on("b")), c("b", on("a")), c("c"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cycle among a, b");
    }

    @Test
    void aContainerDependingOnItselfIsACycle() {
        assertThatThrownBy(() -> DependencyOrder.startOrder(List.of(c("a", on("a")))))
                .hasMessageContaining("cycle");
    }

    @Test
    void anUnknownDependencyIsRefused() {
        assertThatThrownBy(() -> DependencyOrder.startOrder(List.of(c("a", on("ghost")))))
                .hasMessageContaining("depends on ghost");
    }
}
