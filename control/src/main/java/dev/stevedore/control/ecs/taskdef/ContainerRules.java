package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.Absent.isBlank;
import static dev.stevedore.control.ecs.taskdef.Absent.orEmpty;

import dev.stevedore.model.ecs.ContainerDefinition;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The identity rules of a task definition's containers: how many, what they are called, what they run. */
final class ContainerRules {

    /** Service quota: containers per task definition. */
    static final int MAX_CONTAINERS = 10;
    /** Names of families, containers and volumes: up to 255 letters, digits, hyphens and underscores. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    /**
     * Image references: "up to 255 letters, numbers, hyphens, underscores, colons, periods, forward
     * slashes, and number signs", plus the at sign of a digest reference.
     */
    private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9_\\-:./#@]{1,255}");

    private ContainerRules() {
    }

    static void checkFamily(String family) {
        if (family == null || !NAME.matcher(family).matches()) {
            // Unverified text; the rule is the model's documented pattern for family.
            throw InvalidTaskDefinitionException.client(
                    "Family must be 1-255 characters of letters (uppercase and lowercase), numbers, hyphens and underscores.");
        }
    }

    static void checkContainers(List<ContainerDefinition> containers) {
        if (orEmpty(containers).isEmpty()) {
            throw InvalidTaskDefinitionException.client("Container list cannot be empty."); // verified
        }
        if (containers.size() > MAX_CONTAINERS) {
            throw InvalidTaskDefinitionException.client("Too many containers."); // verified
        }
        Set<String> names = new HashSet<>();
        for (ContainerDefinition container : containers) {
            checkName(container.name());
            if (!names.add(container.name())) {
                // Unverified text.
                throw InvalidTaskDefinitionException.client("Duplicate container name '" + container.name() + "'. Container names must be unique within a task definition.");
            }
            checkImage(container.image());
        }
    }

    private static void checkName(String name) {
        if (isBlank(name)) {
            throw InvalidTaskDefinitionException.client("Container.name should not be null or empty."); // verified
        }
        if (!NAME.matcher(name).matches()) {
            // Unverified: worded like the verified image text.
            throw InvalidTaskDefinitionException.client("Container.name contains invalid characters.");
        }
    }

    private static void checkImage(String image) {
        if (isBlank(image)) {
            throw InvalidTaskDefinitionException.client("Container.image should not be null or empty."); // verified
        }
        if (!IMAGE.matcher(image).matches()) {
            throw InvalidTaskDefinitionException.client("Container.image contains invalid characters."); // verified
        }
    }

    /** Every task needs a container whose exit ends it; essential is true unless said otherwise. */
    static void checkEssential(List<ContainerDefinition> containers) {
        boolean any = containers.stream().anyMatch(c -> c.essential() == null || c.essential());
        if (!any) {
            // Verified second-hand (quoted by linters that checked against ECS).
            throw InvalidTaskDefinitionException.client("Task definition doesn't have any essential container.");
        }
    }
}
