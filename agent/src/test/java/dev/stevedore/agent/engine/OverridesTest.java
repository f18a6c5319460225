package dev.stevedore.agent.engine;

import static dev.stevedore.agent.engine.TestTasks.env;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.ContainerOverride;
import dev.stevedore.model.ecs.TaskOverride;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OverridesTest {

    private final ContainerDefinition definition = TestTasks.container("app", "echo", "from-definition")
            .environment(List.of(env("A", "1"), env("B", "2")))
            .cpu(128)
            .memory(64)
            .memoryReservation(32)
            .build();

    @Test
    void withoutOverrideTheDefinitionIsUnchanged() {
        assertThat(Overrides.apply(definition, Optional.empty())).isEqualTo(definition);
    }

    @Test
    void commandCpuAndMemoryAreReplacedAndEnvironmentIsMergedByName() {
        ContainerOverride o = ContainerOverride.builder()
                .name("app")
                .command(List.of("echo", "overridden"))
                .environment(List.of(env("B", "20"), env("C", "3")))
                .cpu(256)
                .memory(128)
                .memoryReservation(96)
                .build();

        ContainerDefinition merged = Overrides.apply(definition, Optional.of(o));

        assertThat(merged.command()).containsExactly("echo", "overridden");
        assertThat(merged.environment()).containsExactly(env("A", "1"), env("B", "20"), env("C", "3"));
        assertThat(merged.cpu()).isEqualTo(256);
        assertThat(merged.memory()).isEqualTo(128);
        assertThat(merged.memoryReservation()).isEqualTo(96);
        assertThat(merged.image()).isEqualTo(definition.image());
    }

    @Test
    void absentOverrideMembersKeepTheDefinitions() {
        ContainerDefinition merged = Overrides.apply(definition,
                Optional.of(ContainerOverride.builder().name("app").environment(List.of(env("C", "3"))).build()));

        assertThat(merged.command()).containsExactly("echo", "from-definition");
        assertThat(merged.cpu()).isEqualTo(128);
        assertThat(merged.memory()).isEqualTo(64);
        assertThat(merged.environment()).extracting(e -> e.name()).containsExactly("A", "B", "C");
    }

    @Test
    void theOverrideIsFoundByContainerName() {
        TaskOverride overrides = TaskOverride.builder()
                .containerOverrides(List.of(TestTasks.override("other"), TestTasks.override("app").toBuilder().cpu(9).build()))
                .build();

        assertThat(Overrides.find(overrides, "app")).map(ContainerOverride::cpu).hasValue(9);
        assertThat(Overrides.find(overrides, "missing")).isEmpty();
        assertThat(Overrides.find(null, "app")).isEmpty();
    }
}
