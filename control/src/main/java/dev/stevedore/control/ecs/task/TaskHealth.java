package dev.stevedore.control.ecs.task;

import dev.stevedore.model.ecs.Container;

import java.util.List;

/**
 * A task's health from its containers': UNHEALTHY if any essential container is, HEALTHY if every
 * essential container with a health check is, UNKNOWN otherwise.
 */
final class TaskHealth {
    private TaskHealth() {
    }

    static String of(List<Container> containers, List<String> essential) {
        boolean anyChecked = false;
        boolean allHealthy = true;
        for (Container c : containers) {
            if (!essential.contains(c.name()) || c.healthStatus() == null) {
                continue;
            }
            anyChecked = true;
            if ("UNHEALTHY".equals(c.healthStatus())) {
                return "UNHEALTHY";
            }
            allHealthy &= "HEALTHY".equals(c.healthStatus());
        }
        return anyChecked && allHealthy ? "HEALTHY" : "UNKNOWN";
    }
}
