package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.control.ecs.service.ServiceMessages;
import dev.stevedore.control.ecs.service.ServiceStatus;
import dev.stevedore.control.ecs.service.Services;
import dev.stevedore.model.ecs.Deployment;
import dev.stevedore.model.ecs.Service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The daemon scheduler's step, a pure function: exactly one task of the primary deployment on every
 * eligible instance (ACTIVE and meeting the placement constraints), none anywhere else. A task on
 * an instance that drains, leaves or stops meeting the constraints is stopped; a task of an older
 * deployment is stopped and replaced on the same instance once it has stopped (maximumPercent is
 * 100 for daemons: never two on one instance). Instances whose agent is disconnected get no new
 * task until it is back.
 */
public final class DaemonPlan {
    private DaemonPlan() {
    }

    /** An instance as the daemon scheduler sees it. */
    public record Instance(String arn, boolean eligible, boolean agentConnected) {
    }

    public static Decision decide(Service service, List<ServiceTask> tasks, List<Instance> instances, Instant now,
                                  RolloutSettings settings) {
        Duration grace = Duration.ofSeconds(Optional.ofNullable(service.healthCheckGracePeriodSeconds()).orElse(0));
        String name = service.serviceName();
        Optional<Deployment> primary = Services.primary(service);
        String primaryId = primary.map(Deployment::id).orElse("");
        boolean primaryFailed = primary.map(d -> ServiceStatus.FAILED.equals(d.rolloutState())).orElse(true);
        boolean draining = ServiceStatus.DRAINING.equals(service.status());
        Map<String, Instance> byArn = new HashMap<>();
        instances.forEach(i -> byArn.put(i.arn(), i));

        List<Decision.Stop> stops = new ArrayList<>();
        List<String> events = new ArrayList<>();
        Set<String> covered = new HashSet<>();
        Set<String> busy = new HashSet<>();
        for (ServiceTask t : tasks) {
            if (t.summary().isStopped()) {
                continue;
            }
            String instance = t.instanceArn();
            if (!t.summary().wanted()) {
                busy.add(instance);  // still stopping: its replacement waits for it
                continue;
            }
            Instance i = byArn.get(instance);
            boolean stays = !draining && i != null && i.eligible();
            if (stays && t.unhealthy(now, grace)) {
                stops.add(UnhealthyTasks.stop(name, t, now, grace, events));
                busy.add(instance);
            } else if (!stays) {
                stops.add(new Decision.Stop(t, ServiceMessages.scalingActivity(t.deploymentId()), false));
                busy.add(instance);
            } else if (!t.deploymentId().equals(primaryId) && !primaryFailed) {
                stops.add(new Decision.Stop(t, ServiceMessages.scalingActivity(t.deploymentId()), false));
                busy.add(instance);
            } else if (!covered.add(instance)) {
                stops.add(new Decision.Stop(t, ServiceMessages.scalingActivity(t.deploymentId()), false));
            }
        }
        Map<String, List<String>> named = new LinkedHashMap<>();
        if (!draining && !primaryFailed) {
            List<String> targets = new ArrayList<>();
            for (Instance i : instances) {
                if (i.eligible() && i.agentConnected() && !covered.contains(i.arn()) && !busy.contains(i.arn())) {
                    targets.add(i.arn());
                }
            }
            List<ServiceTask> primaryTasks = tasks.stream().filter(t -> t.deploymentId().equals(primaryId)).toList();
            StartThrottle.State throttle = StartThrottle.of(primaryTasks);
            if (!targets.isEmpty()) {
                if (throttle.throttled(now)) {
                    if (throttle.reported()) {
                        events.add(ServiceMessages.unableToConsistentlyStart(name));
                    }
                    return new Decision(Map.of(), Map.of(), stops, events, throttle.nextStartAt());
                }
                named.put(primaryId, targets);
            }
        }
        return new Decision(Map.of(), named, stops, events, Optional.empty());
    }

    /** The desired count a daemon service reports: one per eligible instance. */
    public static int desiredCount(List<Instance> instances) {
        return (int) instances.stream().filter(Instance::eligible).count();
    }
}
