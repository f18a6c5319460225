package dev.stevedore.agent.engine;

import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.ContainerOverride;
import dev.stevedore.model.ecs.KeyValuePair;
import dev.stevedore.model.ecs.TaskOverride;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Applies a task's {@code containerOverrides} to its container definitions, as RunTask defines them. */
final class Overrides {

    private Overrides() {}

    /** The override for the named container, if the task has one. */
    static Optional<ContainerOverride> find(TaskOverride overrides, String containerName) {
        if (overrides == null || overrides.containerOverrides() == null) {
            return Optional.empty();
        }
        return overrides.containerOverrides().stream()
                .filter(o -> containerName.equals(o.name()))
                .findFirst();
    }

    /**
     * The definition as this task runs it: the override's command, cpu, memory and memory
     * reservation replace the definition's; its environment variables are added to the
     * definition's, replacing those of the same name.
     */
    static ContainerDefinition apply(ContainerDefinition definition, Optional<ContainerOverride> override) {
        if (override.isEmpty()) {
            return definition;
        }
        ContainerOverride o = override.get();
        ContainerDefinition.Builder b = definition.toBuilder();
        if (o.command() != null) {
            b.command(List.copyOf(o.command()));
        }
        if (o.environment() != null) {
            b.environment(mergeEnvironment(definition.environment(), o.environment()));
        }
        if (o.cpu() != null) {
            b.cpu(o.cpu());
        }
        if (o.memory() != null) {
            b.memory(o.memory());
        }
        if (o.memoryReservation() != null) {
            b.memoryReservation(o.memoryReservation());
        }
        return b.build();
    }

    static List<KeyValuePair> mergeEnvironment(List<KeyValuePair> base, List<KeyValuePair> overriding) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (List<KeyValuePair> source : List.of(base == null ? List.<KeyValuePair>of() : base, overriding)) {
            for (KeyValuePair kv : source) {
                if (kv.name() != null) {
                    merged.put(kv.name(), kv.value() == null ? "" : kv.value());
                }
            }
        }
        List<KeyValuePair> out = new ArrayList<>();
        merged.forEach((k, v) -> out.add(KeyValuePair.builder().name(k).value(v).build()));
        return out;
    }
}
