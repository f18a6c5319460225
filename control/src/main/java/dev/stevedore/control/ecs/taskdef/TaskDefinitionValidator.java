package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.Absent.orEmpty;

import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.RegisterTaskDefinitionRequest;
import dev.stevedore.model.ecs.TaskDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The semantic rules of RegisterTaskDefinition, and the definition ECS stores for a request that
 * passes them.
 *
 * <p>Pure: no clock, no store, no identifiers. The wire layer has already checked the request
 * against the model's shapes (required members, JSON types, enum values); everything the model
 * cannot express is checked here, with the error code and, where it could be found, the exact text
 * ECS answers with.
 */
public final class TaskDefinitionValidator {

    /** Ephemeral storage a task may ask for on top of the default 20 GiB (EphemeralStorage docs). */
    private static final int MIN_EPHEMERAL_GIB = 21;
    private static final int MAX_EPHEMERAL_GIB = 200;

    private TaskDefinitionValidator() {
    }

    /**
     * Checks the semantics of a registration and returns the normalised definition (without
     * arn/revision/status/registeredAt/registeredBy, which the caller fills in).
     *
     * @throws InvalidTaskDefinitionException with the ECS error code and message of the first rule broken
     */
    public static TaskDefinition validate(RegisterTaskDefinitionRequest request) {
        Objects.requireNonNull(request, "request");
        ContainerRules.checkFamily(request.family());
        ContainerRules.checkContainers(request.containerDefinitions());
        TaskSize size = TaskSize.parse(request.cpu(), request.memory());
        String mode = PortRules.effectiveMode(request.networkMode());

        List<ContainerDefinition> stored = new ArrayList<>();
        for (ContainerDefinition container : request.containerDefinitions()) {
            PortRules.checkLinksAndHostname(container, mode);
            stored.add(stored(container, mode));
        }
        PortRules.checkHostPortsUnique(stored);
        ResourceRules.check(request.containerDefinitions(), size);
        ContainerRules.checkEssential(request.containerDefinitions());
        DependencyRules.check(request.containerDefinitions());
        VolumeRules.check(orEmpty(request.volumes()), request.containerDefinitions());
        for (ContainerDefinition container : request.containerDefinitions()) {
            LogAndSecretRules.check(container, request.executionRoleArn());
        }
        PlacementConstraintRules.check(orEmpty(request.placementConstraints()));
        checkEphemeralStorage(request);
        LaunchTypes.checkRequired(request, size);
        return definition(request, size, List.copyOf(stored));
    }

    /**
     * A container as describe shows it: essential and the list members ECS always returns made
     * explicit, port mappings and health check completed with their defaults.
     */
    private static ContainerDefinition stored(ContainerDefinition container, String mode) {
        return container.toBuilder()
                .essential(container.essential() == null || container.essential())
                // ECS answers cpu 0 for a container that reserves no CPU units.
                .cpu(container.cpu() == null ? Integer.valueOf(0) : container.cpu())
                .portMappings(PortRules.normalise(container, mode))
                .environment(orEmpty(container.environment()))
                .mountPoints(orEmpty(container.mountPoints()))
                .volumesFrom(orEmpty(container.volumesFrom()))
                .systemControls(orEmpty(container.systemControls()))
                .healthCheck(HealthCheckRules.normalise(container.name(), container.healthCheck()))
                .build();
    }

    private static void checkEphemeralStorage(RegisterTaskDefinitionRequest request) {
        if (request.ephemeralStorage() == null) {
            return;
        }
        int size = request.ephemeralStorage().sizeInGiB();
        if (size < MIN_EPHEMERAL_GIB || size > MAX_EPHEMERAL_GIB) {
            // Unverified text.
            throw InvalidTaskDefinitionException.client("Invalid 'ephemeralStorage.sizeInGiB' setting for task. The value must be between 21 and 200.");
        }
    }

    /**
     * The stored definition: the request's members as given, cpu and memory in their normal form,
     * and the members ECS computes or always returns (volumes, placementConstraints,
     * compatibilities, requiresAttributes, enableFaultInjection) filled in. networkMode and
     * requiresCompatibilities stay absent when the request had none, as in ECS.
     */
    private static TaskDefinition definition(RegisterTaskDefinitionRequest request, TaskSize size, List<ContainerDefinition> containers) {
        return TaskDefinition.builder()
                .family(request.family())
                .containerDefinitions(containers)
                .taskRoleArn(request.taskRoleArn())
                .executionRoleArn(request.executionRoleArn())
                .networkMode(request.networkMode())
                .volumes(orEmpty(request.volumes()))
                .placementConstraints(orEmpty(request.placementConstraints()))
                .requiresCompatibilities(request.requiresCompatibilities())
                .compatibilities(LaunchTypes.compatibilities(request, size))
                .requiresAttributes(RequiredAttributes.of(request, containers))
                .cpu(size.cpuText())
                .memory(size.memoryText())
                .pidMode(request.pidMode())
                .ipcMode(request.ipcMode())
                .proxyConfiguration(request.proxyConfiguration())
                .inferenceAccelerators(request.inferenceAccelerators())
                .ephemeralStorage(request.ephemeralStorage())
                .runtimePlatform(request.runtimePlatform())
                // Recent describe output carries "enableFaultInjection": false for definitions that never mentioned it.
                .enableFaultInjection(request.enableFaultInjection() != null && request.enableFaultInjection())
                .build();
    }
}
