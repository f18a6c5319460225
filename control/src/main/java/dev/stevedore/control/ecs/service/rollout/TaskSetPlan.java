package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.control.ecs.service.ServiceMessages;
import dev.stevedore.control.ecs.service.ServiceStatus;
import dev.stevedore.control.ecs.service.Services;
import dev.stevedore.model.ecs.Scale;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.TaskSet;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The EXTERNAL controller's step, a pure function of the service and its tasks: every task set
 * keeps its own count of tasks running, {@code ceil(desiredCount × scale / 100)}, none once the
 * set or the service drains. A task belongs to the set its {@code startedBy} names; tasks of no
 * set are stopped.
 *
 * <p>Per set, in order: unhealthy tasks are stopped (and replaced), and so are pending tasks on
 * draining instances; tasks beyond the count are scaled in, in {@link ScaleIn}'s order; running
 * tasks on draining instances are replaced make-before-break (the replacement starts at once, the
 * old task stops once the set keeps its count of healthy tasks without it); missing tasks are
 * started, within the start throttle. Protected tasks are never scaled in or replaced.
 *
 * <p>There is no minimumHealthyPercent or maximumPercent otherwise. ECS applies them to an EXTERNAL
 * service only when instances drain, forced to their defaults (100 and 200) on EC2; the draining
 * rule above is those defaults. A set's scale is what the external controller asked for, and that
 * controller paces its own shifts from one set to another.
 */
public final class TaskSetPlan {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private TaskSetPlan() {
    }

    /**
     * ECS's computedDesiredCount. Worked in decimal so that the scale means what was typed: 30 % of
     * 10 is 3 tasks, where binary floating point could make it a hair above and round up to 4.
     */
    public static int computedDesiredCount(int desiredCount, Scale scale) {
        double value = scale == null || scale.value() == null ? 0 : scale.value();
        return BigDecimal.valueOf(desiredCount).multiply(BigDecimal.valueOf(value)).divide(HUNDRED)
                .setScale(0, RoundingMode.CEILING).intValueExact();
    }

    /** How many tasks a set keeps: its computed count, none once the set or the service drains. */
    public static int target(Service service, TaskSet set) {
        if (ServiceStatus.DRAINING.equals(set.status()) || !ServiceStatus.ACTIVE.equals(service.status())) {
            return 0;
        }
        return computedDesiredCount(Optional.ofNullable(service.desiredCount()).orElse(0), set.scale());
    }

    public static Decision decide(Service service, List<ServiceTask> tasks, Instant now, RolloutSettings settings) {
        Duration grace = Duration.ofSeconds(Optional.ofNullable(service.healthCheckGracePeriodSeconds()).orElse(0));
        Step step = new Step(service.serviceName(), now, settings.healthyAfterRunning(), grace);
        Map<String, List<ServiceTask>> bySet = tasks.stream().collect(Collectors.groupingBy(ServiceTask::deploymentId));
        Set<String> sets = new HashSet<>();
        for (TaskSet set : Services.taskSets(service)) {
            sets.add(set.id());
            step.set(set.id(), target(service, set), bySet.getOrDefault(set.id(), List.of()));
        }
        for (ServiceTask t : tasks) {
            if (t.active() && !sets.contains(t.deploymentId()) && !t.protectedFromScaleIn()) {
                step.stop(t, ServiceMessages.scalingActivity(t.deploymentId()), false);
            }
        }
        return step.decision();
    }

    /** What one step decides, gathered set by set. */
    private static final class Step {
        private final String service;
        private final Instant now;
        private final Duration healthyAfter;
        private final Duration grace;
        private final List<Decision.Stop> stops = new ArrayList<>();
        private final Set<String> stopping = new HashSet<>();
        private final Map<String, Integer> starts = new LinkedHashMap<>();
        private final List<String> events = new ArrayList<>();
        private Optional<Instant> recheck = Optional.empty();

        Step(String service, Instant now, Duration healthyAfter, Duration grace) {
            this.service = service;
            this.now = now;
            this.healthyAfter = healthyAfter;
            this.grace = grace;
        }

        /** One set's part: {@code own} is every task of the set, stopped ones included (the throttle reads them). */
        void set(String id, int target, List<ServiceTask> own) {
            int stopsBefore = stops.size();
            for (ServiceTask t : own) {
                if (!t.active()) {
                    continue;
                }
                if (t.unhealthy(now, grace)) {
                    stop(t, ServiceMessages.FAILED_CONTAINER_HEALTH_CHECKS, true);
                    events.add(ServiceMessages.failedHealthChecks(service, t.id()));
                } else if (t.onDrainingInstance() && t.pending() && !t.protectedFromScaleIn()) {
                    stop(t, ServiceMessages.scalingActivity(id), false);
                }
            }
            List<ServiceTask> remaining = own.stream().filter(t -> t.active() && !stopping.contains(t.taskArn())).toList();
            List<ServiceTask> keep = remaining.stream().filter(t -> !t.onDrainingInstance()).toList();

            int excess = Math.max(0, keep.size() - target);
            List<ServiceTask> scaleIn = ScaleIn.order(keep.stream().filter(t -> !t.protectedFromScaleIn()).toList(),
                    remaining, now, healthyAfter);
            scaleIn = scaleIn.subList(0, Math.min(excess, scaleIn.size()));
            scaleIn.forEach(t -> stop(t, ServiceMessages.scalingActivity(id), false));
            int blocked = excess - scaleIn.size();

            // Make-before-break off draining instances: a healthy task stops only while the set
            // keeps its count of healthy tasks without it.
            int budget = (int) remaining.stream()
                    .filter(t -> !stopping.contains(t.taskArn()) && t.healthy(now, healthyAfter)).count() - target;
            List<ServiceTask> draining = remaining.stream().filter(ServiceTask::onDrainingInstance).toList();
            for (ServiceTask t : ScaleIn.order(draining, remaining, now, healthyAfter)) {
                boolean counts = t.healthy(now, healthyAfter);
                if (t.protectedFromScaleIn()) {
                    blocked++;
                } else if (!counts || budget > 0) {
                    stop(t, ServiceMessages.scalingActivity(id), false);
                    budget -= counts ? 1 : 0;
                }
            }

            int want = target - (keep.size() - scaleIn.size());
            if (want > 0) {
                StartThrottle.State throttle = StartThrottle.of(own);
                if (throttle.throttled(now)) {
                    recheck = ReplicaPlan.earliest(recheck, throttle.nextStartAt());
                    if (throttle.reported()) {
                        events.add(ServiceMessages.unableToConsistentlyStart(service));
                    }
                } else {
                    starts.put(id, want);
                }
            }
            if (blocked > 0 && stops.size() == stopsBefore && !starts.containsKey(id)) {
                events.add(ServiceMessages.protectedTasksBlockScaleIn(service, id, blocked));
            }
            // Time alone turns tasks healthy (freeing the draining budget) and ends grace periods.
            for (ServiceTask t : remaining) {
                if (!draining.isEmpty()) {
                    recheck = ReplicaPlan.earliest(recheck, t.healthyAt(healthyAfter).filter(now::isBefore));
                }
                if (t.running() && "UNHEALTHY".equals(t.summary().healthStatus()) && t.summary().startedAt() != null) {
                    recheck = ReplicaPlan.earliest(recheck, Optional.of(t.summary().startedAt().plus(grace))
                            .filter(now::isBefore));
                }
            }
        }

        void stop(ServiceTask t, String reason, boolean unhealthy) {
            if (stopping.add(t.taskArn())) {
                stops.add(new Decision.Stop(t, reason, unhealthy));
            }
        }

        Decision decision() {
            return new Decision(starts, Map.of(), stops, events, recheck);
        }
    }
}
