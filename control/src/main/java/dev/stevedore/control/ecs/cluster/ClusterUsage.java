package dev.stevedore.control.ecs.cluster;

import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.KeyValuePair;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.Task;

import java.util.List;
import java.util.Objects;

/**
 * What a cluster holds, counted the way DescribeClusters reports it.
 *
 * @param containerInstances registered instances that are not INACTIVE
 * @param services services that are ACTIVE or DRAINING (both keep a cluster from being deleted)
 */
record ClusterUsage(int containerInstances, int runningTasks, int pendingTasks, int services,
                    List<KeyValuePair> statistics) {

    int activeTasks() {
        return runningTasks + pendingTasks;
    }

    static ClusterUsage of(List<ContainerInstance> instances, List<Task> tasks, List<Service> services) {
        int registered = (int) instances.stream().filter(i -> !"INACTIVE".equals(i.status())).count();
        int running = 0;
        int pending = 0;
        int runningEc2 = 0;
        int runningFargate = 0;
        int pendingEc2 = 0;
        int pendingFargate = 0;
        for (Task t : tasks) {
            if ("STOPPED".equals(t.lastStatus()) || "DELETED".equals(t.lastStatus())) {
                continue;
            }
            boolean fargate = "FARGATE".equals(t.launchType());
            if ("RUNNING".equals(t.lastStatus())) {
                running++;
                if (fargate) {
                    runningFargate++;
                } else {
                    runningEc2++;
                }
            } else {
                pending++;
                if (fargate) {
                    pendingFargate++;
                } else {
                    pendingEc2++;
                }
            }
        }
        int active = 0;
        int activeEc2 = 0;
        int activeFargate = 0;
        int drainingEc2 = 0;
        int drainingFargate = 0;
        for (Service s : services) {
            // A service on a capacity provider strategy runs on Fargate: only its providers exist here.
            boolean fargate = "FARGATE".equals(s.launchType())
                    || (s.capacityProviderStrategy() != null && !s.capacityProviderStrategy().isEmpty());
            if ("ACTIVE".equals(s.status())) {
                active++;
                if (fargate) {
                    activeFargate++;
                } else {
                    activeEc2++;
                }
            } else if ("DRAINING".equals(s.status())) {
                active++;
                if (fargate) {
                    drainingFargate++;
                } else {
                    drainingEc2++;
                }
            }
        }
        List<KeyValuePair> statistics = List.of(
                stat("runningEC2TasksCount", runningEc2),
                stat("runningFargateTasksCount", runningFargate),
                stat("pendingEC2TasksCount", pendingEc2),
                stat("pendingFargateTasksCount", pendingFargate),
                stat("activeEC2ServiceCount", activeEc2),
                stat("activeFargateServiceCount", activeFargate),
                stat("drainingEC2ServiceCount", drainingEc2),
                stat("drainingFargateServiceCount", drainingFargate));
        return new ClusterUsage(registered, running, pending, active, statistics);
    }

    private static KeyValuePair stat(String name, int value) {
        return new KeyValuePair(Objects.requireNonNull(name), Integer.toString(value));
    }
}
