package dev.stevedore.control.ecs.service.rollout;

import dev.stevedore.control.ecs.service.ServiceMessages;
import dev.stevedore.control.ecs.service.ServiceStatus;
import dev.stevedore.control.ecs.service.Services;
import dev.stevedore.model.ecs.Deployment;
import dev.stevedore.model.ecs.DeploymentConfiguration;
import dev.stevedore.model.ecs.Service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The replica scheduler's step, a pure function of the service and its tasks: keep the desired
 * count of tasks of the primary deployment running, and replace everything else (tasks of older
 * deployments, tasks on draining instances, unhealthy tasks) without ever having more than
 * maximumPercent of the desired count wanted at once nor fewer than minimumHealthyPercent healthy.
 *
 * <p>In order: unhealthy tasks are stopped (they are not healthy, so the minimum does not hold
 * them); pending tasks on draining instances are stopped; the primary's tasks beyond the desired
 * count are scaled in; tasks to replace are stopped once their replacements make the count exceed
 * the desired count, or to make room under the maximum, but a running one only while the running
 * tasks to replace and the healthy new ones stay at the minimum; new primary tasks are started
 * while the maximum allows. Protected tasks are never scaled in or replaced. A step that can do
 * nothing and is not waiting for anything says why in an event.
 */
public final class ReplicaPlan {
    private ReplicaPlan() {
    }

    public static Decision decide(Service service, List<ServiceTask> tasks, int desired, Instant now,
                                  RolloutSettings settings) {
        Duration healthyAfter = settings.healthyAfterRunning();
        Duration grace = Duration.ofSeconds(Optional.ofNullable(service.healthCheckGracePeriodSeconds()).orElse(0));
        DeploymentConfiguration config = service.deploymentConfiguration();
        int maxPercent = config == null || config.maximumPercent() == null ? 200 : config.maximumPercent();
        int minPercent = config == null || config.minimumHealthyPercent() == null ? 100 : config.minimumHealthyPercent();
        int maxTotal = Math.max(desired, (int) Math.floor(desired * maxPercent / 100.0));
        int minHealthy = (int) Math.ceil(desired * minPercent / 100.0);
        String name = service.serviceName();
        Optional<Deployment> primary = Services.primary(service);
        String primaryId = primary.map(Deployment::id).orElse("");
        boolean primaryFailed = primary.map(d -> ServiceStatus.FAILED.equals(d.rolloutState())).orElse(true);

        List<ServiceTask> active = tasks.stream().filter(ServiceTask::active).toList();
        List<Decision.Stop> stops = new ArrayList<>();
        Set<String> stopping = new HashSet<>();
        List<String> events = new ArrayList<>();

        for (ServiceTask t : active) {
            if (t.unhealthy(now, grace)) {
                stops.add(UnhealthyTasks.stop(name, t, now, grace, events));
                stopping.add(t.taskArn());
            } else if (t.onDrainingInstance() && t.pending() && !t.protectedFromScaleIn()) {
                stops.add(new Decision.Stop(t, ServiceMessages.scalingActivity(t.deploymentId()), false));
                stopping.add(t.taskArn());
            }
        }
        List<ServiceTask> remaining = active.stream().filter(t -> !stopping.contains(t.taskArn())).toList();

        List<ServiceTask> keep = remaining.stream()
                .filter(t -> t.deploymentId().equals(primaryId) && !t.onDrainingInstance()).toList();
        // Scale-in: the primary's tasks beyond the desired count, whatever the minimum says.
        int excess = Math.max(0, keep.size() - desired);
        int protectedBlocking = 0;
        List<ServiceTask> scaleIn = excess == 0 ? List.of()
                : ScaleIn.order(keep.stream().filter(t -> !t.protectedFromScaleIn()).toList(), remaining, now, healthyAfter);
        int scaledIn = 0;
        for (ServiceTask t : scaleIn) {
            if (scaledIn == excess) {
                break;
            }
            stops.add(new Decision.Stop(t, ServiceMessages.scalingActivity(t.deploymentId()), false));
            stopping.add(t.taskArn());
            scaledIn++;
        }
        protectedBlocking += excess - scaledIn;

        // Replacement: older deployments' tasks and the primary's on draining instances. A failed
        // deployment without rollback launches nothing, so what it would replace stays. A task to
        // replace that runs keeps serving until it goes, so it counts towards the minimum; a new
        // task counts once it is healthy. Replaced tasks go when there are more than the desired
        // count (the replacements have come up), or to make room under the maximum for starts.
        List<ServiceTask> toReplace = primaryFailed ? List.of() : remaining.stream()
                .filter(t -> !t.deploymentId().equals(primaryId) || t.onDrainingInstance())
                .toList();
        Set<String> replaced = new HashSet<>();
        toReplace.forEach(t -> replaced.add(t.taskArn()));
        int available = (int) remaining.stream().filter(t -> !stopping.contains(t.taskArn()))
                .filter(t -> replaced.contains(t.taskArn()) ? t.running() : t.healthy(now, healthyAfter)).count();
        int wantedNow = (int) active.stream().filter(t -> !stopping.contains(t.taskArn())).count();
        int want = desired - (keep.size() - scaledIn);
        int surplus = wantedNow - desired;
        int needRoom = Math.max(0, want - (maxTotal - wantedNow));
        boolean heldByMinimum = false;
        List<ServiceTask> replaceOrder = toReplace.isEmpty() || (surplus <= 0 && needRoom <= 0) ? List.of()
                : ScaleIn.order(toReplace, remaining, now, healthyAfter);
        for (ServiceTask t : replaceOrder) {
            if (surplus <= 0 && needRoom <= 0) {
                break;
            }
            if (t.protectedFromScaleIn()) {
                protectedBlocking++;
                continue;
            }
            if (t.running() && available - 1 < minHealthy) {
                heldByMinimum = true;
                continue;
            }
            stops.add(new Decision.Stop(t, ServiceMessages.scalingActivity(t.deploymentId()), false));
            stopping.add(t.taskArn());
            if (t.running()) {
                available--;
            }
            wantedNow--;
            if (surplus > 0) {
                surplus--;
            } else {
                needRoom--;
            }
        }

        Map<String, Integer> starts = Map.of();
        int room = maxTotal - wantedNow;
        int start = Math.max(0, Math.min(want, room));
        Optional<Instant> recheck = Optional.empty();
        List<ServiceTask> primaryTasks = tasks.stream().filter(t -> t.deploymentId().equals(primaryId)).toList();
        StartThrottle.State throttle = StartThrottle.of(primaryTasks);
        if (start > 0 && !primaryFailed) {
            if (throttle.throttled(now)) {
                recheck = throttle.nextStartAt();
                if (throttle.reported()) {
                    events.add(ServiceMessages.unableToConsistentlyStart(name));
                }
            } else {
                starts = Map.of(primaryId, start);
            }
        }

        // Nothing moves and nothing will by itself: say what holds the service.
        boolean warming = remaining.stream().anyMatch(t -> !stopping.contains(t.taskArn())
                && (t.pending() || (t.running() && !t.healthy(now, healthyAfter))));
        boolean nothingDone = stops.isEmpty() && starts.isEmpty();
        if (nothingDone && heldByMinimum && want > 0 && room <= 0 && !warming) {
            events.add(ServiceMessages.blockedByDeploymentConfiguration(name));
        }
        if (protectedBlocking > 0 && nothingDone) {
            events.add(ServiceMessages.protectedTasksBlockScaleIn(name, primaryId, protectedBlocking));
        }
        // Tasks turning healthy with time free the minimum: look again then.
        Optional<Instant> nextHealthy = remaining.stream()
                .map(t -> t.healthyAt(healthyAfter)).flatMap(Optional::stream)
                .filter(now::isBefore).min(Comparator.naturalOrder());
        Optional<Instant> graceEnds = remaining.stream()
                .map(t -> t.unhealthyGraceEnds(now, grace)).flatMap(Optional::stream).min(Comparator.naturalOrder());
        recheck = earliest(earliest(recheck, nextHealthy), graceEnds);
        return new Decision(starts, Map.of(), stops, events, recheck);
    }

    static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().isBefore(b.get()) ? a : b;
    }
}
