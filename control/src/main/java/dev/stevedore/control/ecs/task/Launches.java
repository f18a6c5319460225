package dev.stevedore.control.ecs.task;

import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.tags.Tags;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionOperations;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionRef;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.ContainerOverride;
import dev.stevedore.model.ecs.PropagateTags;
import dev.stevedore.model.ecs.Tag;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.TaskDefinitionStatus;
import dev.stevedore.model.ecs.TaskOverride;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks RunTask and StartTask share: the task definition, overrides, group, startedBy and tags.
 */
final class Launches {
    private static final Pattern STARTED_BY = Pattern.compile("[A-Za-z0-9_/-]{1,128}");
    private static final Pattern UNITS = Pattern.compile("[0-9]{1,6}");

    private Launches() {
    }

    static TaskDefinition activeDefinition(TaskDefinitionOperations definitions, EcsScope scope, String text) {
        TaskDefinition td = TaskDefinitionRef.parse(scope, text)
                .flatMap(ref -> definitions.find(scope, ref))
                .orElseThrow(() -> EcsErrors.client("Unable to describe task definition."));
        if (!TaskDefinitionStatus.ACTIVE.equals(td.status())) {
            throw EcsErrors.client("TaskDefinition is inactive");
        }
        return td;
    }

    static TaskFactory.Launch launch(String cluster, TaskDefinition td, TaskOverride overrides, String group,
                                     String startedBy, List<Tag> requestTags, String propagateTags,
                                     List<Tag> definitionTags, Boolean enableExecuteCommand) {
        checkOverrides(td, overrides);
        if (startedBy != null && !STARTED_BY.matcher(startedBy).matches()) {
            throw EcsErrors.invalidParameter("startedBy can have up to 128 letters (uppercase and lowercase), "
                    + "numbers, hyphens, underscores and forward slashes.");
        }
        String effectiveGroup = group == null ? "family:" + td.family() : group;
        if (effectiveGroup.isEmpty() || effectiveGroup.length() > 255) {
            throw EcsErrors.invalidParameter("group must have between 1 and 255 characters.");
        }
        List<Tag> tags = new ArrayList<>();
        if (PropagateTags.TASK_DEFINITION.equals(propagateTags)) {
            tags.addAll(definitionTags);
        } else if (PropagateTags.SERVICE.equals(propagateTags)) {
            throw EcsErrors.invalidParameter("propagateTags SERVICE is only valid for tasks started by a service.");
        }
        if (requestTags != null) {
            tags.addAll(requestTags);
        }
        return new TaskFactory.Launch(cluster, td, overrides, effectiveGroup, Optional.ofNullable(startedBy),
                Tags.checkNew(tags), Boolean.TRUE.equals(enableExecuteCommand));
    }

    private static void checkOverrides(TaskDefinition td, TaskOverride overrides) {
        if (overrides == null) {
            return;
        }
        Set<String> names = new java.util.HashSet<>();
        for (ContainerDefinition c : td.containerDefinitions()) {
            names.add(c.name());
        }
        for (ContainerOverride o : Optional.ofNullable(overrides.containerOverrides()).orElse(List.of())) {
            if (o.name() == null || !names.contains(o.name())) {
                throw EcsErrors.invalidParameter("Override for container named " + o.name()
                        + " is not a container in the TaskDefinition.");
            }
            if (o.memory() != null && o.memoryReservation() != null && o.memory() < o.memoryReservation()) {
                throw EcsErrors.invalidParameter("Invalid setting for container '" + o.name()
                        + "'. The memory reservation must be lower than the memory limit.");
            }
        }
        if (overrides.cpu() != null && !UNITS.matcher(overrides.cpu()).matches()) {
            throw EcsErrors.invalidParameter("Invalid 'cpu' override for the task: give CPU units, e.g. \"512\".");
        }
        if (overrides.memory() != null && !UNITS.matcher(overrides.memory()).matches()) {
            throw EcsErrors.invalidParameter("Invalid 'memory' override for the task: give MiB, e.g. \"1024\".");
        }
    }
}
