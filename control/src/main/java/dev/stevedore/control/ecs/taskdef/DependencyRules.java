package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.Absent.orEmpty;

import dev.stevedore.model.ecs.ContainerCondition;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.ContainerDependency;
import dev.stevedore.model.ecs.VolumeFrom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** References between the containers of one task definition: dependsOn and volumesFrom. */
final class DependencyRules {

    private DependencyRules() {
    }

    static void check(List<ContainerDefinition> containers) {
        Map<String, ContainerDefinition> byName = new HashMap<>();
        containers.forEach(c -> byName.put(c.name(), c));
        for (ContainerDefinition container : containers) {
            for (ContainerDependency dependency : orEmpty(container.dependsOn())) {
                checkDependency(container, dependency, byName);
            }
            for (VolumeFrom from : orEmpty(container.volumesFrom())) {
                checkVolumesFrom(container, from, byName);
            }
        }
        checkNoCycle(containers, byName);
    }

    private static void checkDependency(ContainerDefinition container, ContainerDependency dependency,
            Map<String, ContainerDefinition> byName) {
        String target = dependency.containerName();
        ContainerDefinition dependedOn = byName.get(target);
        if (dependedOn == null) {
            // Verified, stray "+" included: ECS really answers with this text.
            throw InvalidTaskDefinitionException.client("Cannot depend on container + '" + target + "' because it does not exist");
        }
        if (dependedOn == container) {
            throw InvalidTaskDefinitionException.client("Container '" + target + "' cannot depend on itself"); // unverified
        }
        String condition = dependency.condition();
        boolean essential = dependedOn.essential() == null || dependedOn.essential();
        // An essential container that exits stops the whole task, so waiting for it to finish makes no sense.
        if (essential && (ContainerCondition.COMPLETE.equals(condition) || ContainerCondition.SUCCESS.equals(condition))) {
            throw InvalidTaskDefinitionException.client(
                    "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container"); // verified
        }
        if (ContainerCondition.HEALTHY.equals(condition) && dependedOn.healthCheck() == null) {
            throw InvalidTaskDefinitionException.client("Dependency container '" + target
                    + "' with HEALTHY condition does not have a healthCheck"); // unverified
        }
    }

    private static void checkVolumesFrom(ContainerDefinition container, VolumeFrom from, Map<String, ContainerDefinition> byName) {
        String source = from.sourceContainer();
        ContainerDefinition sourceContainer = source == null ? null : byName.get(source);
        if (sourceContainer == null) {
            // Unverified, worded like the verified "Unknown volume 'x'." for mount points.
            throw InvalidTaskDefinitionException.client("Unknown container '" + source + "' in volumesFrom of container '"
                    + container.name() + "'.");
        }
        if (sourceContainer == container) {
            throw InvalidTaskDefinitionException.client("Container '" + container.name() + "' cannot mount volumes from itself."); // unverified
        }
    }

    /** Start order must exist: a cycle would leave every container in it waiting forever. */
    private static void checkNoCycle(List<ContainerDefinition> containers, Map<String, ContainerDefinition> byName) {
        Set<String> done = new HashSet<>();
        for (ContainerDefinition container : containers) {
            visit(container, byName, new HashSet<>(), done);
        }
    }

    /** Depth-first walk; recursion is bounded by the ten-container limit. */
    private static void visit(ContainerDefinition container, Map<String, ContainerDefinition> byName,
            Set<String> onPath, Set<String> done) {
        if (done.contains(container.name())) {
            return;
        }
        if (!onPath.add(container.name())) {
            throw InvalidTaskDefinitionException.client("Container dependencies contain a cycle involving container '"
                    + container.name() + "'."); // unverified
        }
        for (ContainerDependency dependency : orEmpty(container.dependsOn())) {
            visit(byName.get(dependency.containerName()), byName, onPath, done);
        }
        onPath.remove(container.name());
        done.add(container.name());
    }
}
