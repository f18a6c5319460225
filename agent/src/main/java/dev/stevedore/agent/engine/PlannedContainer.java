package dev.stevedore.agent.engine;

import dev.stevedore.model.ecs.ContainerDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A container of a task as the engine will run it.
 *
 * @param definition   the container definition with the task's overrides applied
 * @param dependsOn    explicit and implicit dependencies
 * @param startTimeout how long it may wait for its dependencies, when the definition says
 */
record PlannedContainer(
        String name,
        ContainerDefinition definition,
        boolean essential,
        List<Dependency> dependsOn,
        Duration stopTimeout,
        Optional<Duration> startTimeout) {

    PlannedContainer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(definition, "definition");
        dependsOn = List.copyOf(dependsOn);
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        Objects.requireNonNull(startTimeout, "startTimeout");
    }

    boolean hasHealthCheck() {
        return definition.healthCheck() != null && definition.healthCheck().command() != null
                && !definition.healthCheck().command().isEmpty();
    }
}
