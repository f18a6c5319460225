package dev.stevedore.control.ecs.taskdef;

import dev.stevedore.model.ecs.ContainerDefinition;
import java.util.List;

/** Container memory and cpu, on their own and against the task-level size. */
final class ResourceRules {

    /** Docker 20.10 and later refuse a container limit under 6 MiB; the developer guide repeats it. */
    static final int MIN_CONTAINER_MEMORY = 6;

    private ResourceRules() {
    }

    static void check(List<ContainerDefinition> containers, TaskSize size) {
        long reservedMemory = 0;
        long reservedCpu = 0;
        for (ContainerDefinition container : containers) {
            checkMemory(container, size);
            checkCpu(container, size);
            reservedMemory += reservation(container);
            reservedCpu += container.cpu() == null ? 0 : container.cpu();
        }
        // Both sums: unverified texts; the rules are in the developer guide ("the total amount of memory
        // reserved for all containers within a task must be lower than the task memory value").
        if (size.memory().isPresent() && reservedMemory > size.memory().getAsInt()) {
            throw InvalidTaskDefinitionException.client("The total memory reserved by the containers (" + reservedMemory
                    + " MiB) is greater than the task memory (" + size.memory().getAsInt() + " MiB).");
        }
        if (size.cpu().isPresent() && reservedCpu > size.cpu().getAsInt()) {
            throw InvalidTaskDefinitionException.client("The total cpu reserved by the containers (" + reservedCpu
                    + " units) is greater than the task cpu (" + size.cpu().getAsInt() + " units).");
        }
    }

    /** What the scheduler subtracts from an instance: the soft limit when there is one, else the hard one. */
    private static int reservation(ContainerDefinition container) {
        if (container.memoryReservation() != null) {
            return container.memoryReservation();
        }
        return container.memory() == null ? 0 : container.memory();
    }

    private static void checkMemory(ContainerDefinition container, TaskSize size) {
        String name = container.name();
        Integer memory = container.memory();
        Integer reservation = container.memoryReservation();
        if (memory != null && memory < MIN_CONTAINER_MEMORY) {
            throw InvalidTaskDefinitionException.client("Invalid 'memory' setting for container '" + name
                    + "'. The minimum allowed memory is 6 MiB."); // unverified
        }
        if (reservation != null && reservation < MIN_CONTAINER_MEMORY) {
            throw InvalidTaskDefinitionException.client("Invalid 'memoryReservation' setting for container '" + name
                    + "'. The minimum allowed memoryReservation is 6 MiB."); // unverified
        }
        if (memory == null && reservation == null && size.memory().isEmpty()) {
            // Verified; without a task-level limit nothing else bounds the container.
            throw InvalidTaskDefinitionException.client("Invalid setting for container '" + name
                    + "'. At least one of 'memory' or 'memoryReservation' must be specified.");
        }
        if (memory != null && reservation != null && reservation > memory) {
            // Unverified text. The API reference says memory must be greater than memoryReservation,
            // but users report ECS accepting equal values, so only a larger soft limit is refused.
            throw InvalidTaskDefinitionException.client("Invalid setting for container '" + name
                    + "'. 'memoryReservation' must not be greater than 'memory'.");
        }
        if (size.memory().isPresent()) {
            int taskMemory = size.memory().getAsInt();
            if (memory != null && memory > taskMemory) {
                throw InvalidTaskDefinitionException.client("The 'memory' setting for container '" + name
                        + "' is greater than for the task."); // verified
            }
            if (reservation != null && reservation > taskMemory) {
                throw InvalidTaskDefinitionException.client("The 'memoryReservation' setting for container '" + name
                        + "' is greater than for the task."); // unverified, mirrors the verified memory text
            }
        }
    }

    private static void checkCpu(ContainerDefinition container, TaskSize size) {
        Integer cpu = container.cpu();
        if (cpu == null) {
            return;
        }
        if (cpu < 0) {
            throw InvalidTaskDefinitionException.client("Invalid 'cpu' setting for container '" + container.name() + "'."); // unverified
        }
        if (size.cpu().isPresent() && cpu > size.cpu().getAsInt()) {
            throw InvalidTaskDefinitionException.client("The 'cpu' setting for container '" + container.name()
                    + "' is greater than for the task."); // unverified, mirrors the verified memory text
        }
    }
}
