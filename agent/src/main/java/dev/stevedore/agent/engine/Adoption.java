package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.ContainerStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rebuilds the engine's tasks after a restart from the state files and the containers the
 * engine finds on the host by their labels (pure). The labels win where a state file has not
 * caught up: a container created just before a crash is adopted, never created again.
 */
final class Adoption {

    private Adoption() {}

    static List<TaskRecord> merge(List<TaskRecord> saved, List<ContainerStatus> found) {
        Map<String, List<ContainerStatus>> byTask = new LinkedHashMap<>();
        Map<String, ContainerStatus> pauseByTask = new LinkedHashMap<>();
        for (ContainerStatus c : found) {
            String task = c.labels().get(Labels.TASK_ARN);
            if (task != null && c.labels().containsKey(Labels.CONTAINER_NAME)) {
                byTask.computeIfAbsent(task, k -> new ArrayList<>()).add(c);
            } else if (task != null && c.labels().containsKey(Labels.PAUSE_FOR_ATTACHMENT)) {
                pauseByTask.put(task, c);
            }
        }
        List<TaskRecord> out = new ArrayList<>();
        for (TaskRecord r : saved) {
            List<ContainerStatus> mine = byTask.getOrDefault(r.taskArn(), List.of());
            TaskRecord merged = r.withContainers(c -> c.dockerId().isPresent() ? c : attach(c, mine));
            Optional<ContainerStatus> pause = Optional.ofNullable(pauseByTask.remove(r.taskArn()));
            out.add(merged.network().map(n -> merged.withNetwork(attachPause(n, pause))).orElse(merged));
            byTask.remove(r.taskArn());
        }
        // A task whose pause container is all that is left is an orphan too: someone must remove it.
        pauseByTask.keySet().forEach(task -> byTask.putIfAbsent(task, List.of()));
        byTask.forEach((task, containers) -> out.add(TaskRecord.orphan(task, containers.stream()
                .map(c -> ContainerRecord.found(c.labels().get(Labels.CONTAINER_NAME), c.id(), c.name()))
                .toList(), Optional.ofNullable(pauseByTask.get(task)).map(Adoption::foundPause))));
        return out;
    }

    /** The pause container a crash kept from being recorded, if the record got as far as naming it. */
    private static TaskNetworkRecord attachPause(TaskNetworkRecord n, Optional<ContainerStatus> found) {
        if (n.pauseId().isPresent() || n.pauseName().isEmpty()) {
            return n;
        }
        return found.filter(s -> s.name().equals(n.pauseName().get())).map(s -> n.withPause(s.name(), s.id())).orElse(n);
    }

    private static TaskNetworkRecord foundPause(ContainerStatus s) {
        return TaskNetworkRecord.pending(s.labels().get(Labels.PAUSE_FOR_ATTACHMENT)).withPause(s.name(), s.id());
    }

    /**
     * The engine's container for a record that has no id yet; the one with the recorded name if
     * the record got as far as choosing it.
     */
    private static ContainerRecord attach(ContainerRecord c, List<ContainerStatus> candidates) {
        Optional<ContainerStatus> match = candidates.stream()
                .filter(s -> c.name().equals(s.labels().get(Labels.CONTAINER_NAME)))
                .filter(s -> c.dockerName().map(n -> n.equals(s.name())).orElse(true))
                .findFirst();
        return match.map(s -> c.created(s.name(), s.id())).orElse(c);
    }
}
