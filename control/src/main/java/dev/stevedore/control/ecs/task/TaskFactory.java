package dev.stevedore.control.ecs.task;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Ids;
import dev.stevedore.control.ecs.fargate.FargateLaunch;
import dev.stevedore.model.ecs.EphemeralStorage;
import dev.stevedore.model.ecs.Attribute;
import dev.stevedore.model.ecs.Container;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.ContainerOverride;
import dev.stevedore.model.ecs.Tag;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.TaskOverride;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes the record of a newly placed task, as DescribeTasks shows it before the agent reports.
 */
final class TaskFactory {
    private TaskFactory() {
    }

    /** What a launch asks for, shared by RunTask and StartTask. */
    record Launch(String cluster, TaskDefinition taskDefinition, TaskOverride overrides, String group,
                  Optional<String> startedBy, List<Tag> tags, boolean enableExecuteCommand) {
    }

    static Task newTask(EcsScope scope, Launch launch, ContainerInstance instance, Instant now) {
        String id = Ids.newId();
        String taskArn = scope.arnPrefix() + "task/" + launch.cluster() + "/" + id;
        TaskDefinition td = launch.taskDefinition();
        List<Container> containers = new ArrayList<>();
        for (ContainerDefinition c : td.containerDefinitions()) {
            Optional<ContainerOverride> o = override(launch.overrides(), c.name());
            Integer memory = o.map(ContainerOverride::memory).orElse(c.memory());
            Integer reservation = o.map(ContainerOverride::memoryReservation).orElse(c.memoryReservation());
            containers.add(Container.builder()
                    .containerArn(scope.arnPrefix() + "container/" + launch.cluster() + "/" + id + "/" + Ids.newId())
                    .taskArn(taskArn)
                    .name(c.name())
                    .image(c.image())
                    .lastStatus(TaskStatus.PENDING)
                    .networkInterfaces(List.of())
                    .cpu(Integer.toString(o.map(ContainerOverride::cpu).orElse(Optional.ofNullable(c.cpu()).orElse(0))))
                    .memory(memory == null ? null : memory.toString())
                    .memoryReservation(reservation == null ? null : reservation.toString())
                    .healthStatus(c.healthCheck() == null ? null : "UNKNOWN")
                    .build());
        }
        String az = attribute(instance, "ecs.availability-zone");
        String arch = Optional.ofNullable(attribute(instance, "ecs.cpu-architecture")).orElse("x86_64");
        return Task.builder()
                .taskArn(taskArn)
                .clusterArn(scope.arnPrefix() + "cluster/" + launch.cluster())
                .taskDefinitionArn(td.taskDefinitionArn())
                .containerInstanceArn(instance.containerInstanceArn())
                .overrides(normalizedOverrides(launch.overrides()))
                // An awsvpc task waits for its interface (ECS's PROVISIONING) whatever its launch type.
                .lastStatus("awsvpc".equals(td.networkMode()) ? TaskStatus.PROVISIONING : TaskStatus.PENDING)
                .desiredStatus(TaskStatus.RUNNING)
                .cpu(firstPresent(launch.overrides() == null ? null : launch.overrides().cpu(), td.cpu()))
                .memory(firstPresent(launch.overrides() == null ? null : launch.overrides().memory(), td.memory()))
                .containers(containers)
                .startedBy(launch.startedBy().orElse(null))
                .group(launch.group())
                .launchType("EC2")
                .availabilityZone(az)
                .attributes(List.of(Attribute.builder().name("ecs.cpu-architecture").value(arch).build()))
                .attachments(List.of())
                .healthStatus("UNKNOWN")
                .enableExecuteCommand(launch.enableExecuteCommand())
                .createdAt(now)
                .version(1L)
                .tags(launch.tags().isEmpty() ? null : launch.tags())
                .build();
    }

    /**
     * A Fargate task: launched on the platform (the host it is placed on is recorded for the agent
     * and the applier, and left out of answers), PROVISIONING while its network interface is made.
     *
     * @param capacityProviderName the provider it counts against; empty when launchType FARGATE was given
     */
    static Task newFargateTask(EcsScope scope, Launch launch, ContainerInstance host, Instant now,
                               String platformVersion, String capacityProviderName) {
        Task task = newTask(scope, launch, host, now);
        TaskDefinition td = launch.taskDefinition();
        int storage = td.ephemeralStorage() == null ? FargateLaunch.DEFAULT_EPHEMERAL_STORAGE_GIB
                : td.ephemeralStorage().sizeInGiB();
        return task.toBuilder()
                .launchType("FARGATE")
                .platformVersion(platformVersion)
                .platformFamily(FargateLaunch.PLATFORM_FAMILY)
                .ephemeralStorage(EphemeralStorage.builder().sizeInGiB(storage).build())
                .capacityProviderName(capacityProviderName.isEmpty() ? null : capacityProviderName)
                .build();
    }

    static Optional<ContainerOverride> override(TaskOverride overrides, String container) {
        if (overrides == null || overrides.containerOverrides() == null) {
            return Optional.empty();
        }
        return overrides.containerOverrides().stream().filter(o -> container.equals(o.name())).findFirst();
    }

    /** ECS echoes overrides with their lists present even when none were given. */
    private static TaskOverride normalizedOverrides(TaskOverride given) {
        TaskOverride.Builder b = given == null ? TaskOverride.builder() : given.toBuilder();
        if (given == null || given.containerOverrides() == null) {
            b.containerOverrides(List.of());
        }
        if (given == null || given.inferenceAcceleratorOverrides() == null) {
            b.inferenceAcceleratorOverrides(List.of());
        }
        return b.build();
    }

    private static String attribute(ContainerInstance instance, String name) {
        if (instance.attributes() == null) {
            return null;
        }
        return instance.attributes().stream().filter(a -> name.equals(a.name())).map(Attribute::value)
                .findFirst().orElse(null);
    }

    private static String firstPresent(String a, String b) {
        return a != null ? a : b;
    }
}
