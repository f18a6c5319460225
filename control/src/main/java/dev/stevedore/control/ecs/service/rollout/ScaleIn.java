package dev.stevedore.control.ecs.service.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of a service's tasks to stop first, as ECS chooses: tasks not yet running, then tasks not
 * yet healthy, then the task whose zone runs the most of the service's tasks, then whose instance
 * does, so that the tasks left stay balanced across zones. Ties go by ARN, so the choice is the
 * same every time.
 */
final class ScaleIn {
    private ScaleIn() {
    }

    /**
     * {@code candidates} in the order to stop them, balancing against {@code all} (the service's
     * active tasks, which the counts per zone and instance are taken from). The order is built one
     * pick at a time, each pick lowering its zone's and instance's counts.
     */
    static List<ServiceTask> order(List<ServiceTask> candidates, List<ServiceTask> all, Instant now,
                                   Duration healthyAfter) {
        Map<String, Integer> perZone = new HashMap<>();
        Map<String, Integer> perInstance = new HashMap<>();
        for (ServiceTask t : all) {
            perZone.merge(t.availabilityZone(), 1, Integer::sum);
            perInstance.merge(t.instanceArn(), 1, Integer::sum);
        }
        List<ServiceTask> left = new ArrayList<>(candidates);
        List<ServiceTask> out = new ArrayList<>(candidates.size());
        while (!left.isEmpty()) {
            Comparator<ServiceTask> best = Comparator
                    .comparing((ServiceTask t) -> t.running() ? 1 : 0)
                    .thenComparing(t -> t.healthy(now, healthyAfter) ? 1 : 0)
                    .thenComparing(t -> -perZone.getOrDefault(t.availabilityZone(), 0))
                    .thenComparing(t -> -perInstance.getOrDefault(t.instanceArn(), 0))
                    .thenComparing(ServiceTask::taskArn);
            ServiceTask pick = left.stream().min(best).orElseThrow();
            left.remove(pick);
            out.add(pick);
            perZone.merge(pick.availabilityZone(), -1, Integer::sum);
            perInstance.merge(pick.instanceArn(), -1, Integer::sum);
        }
        return out;
    }
}
