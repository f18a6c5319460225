package dev.stevedore.control.ecs.service.controller;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.fargate.PlatformPool;
import dev.stevedore.control.ecs.feed.TaskSummary;
import dev.stevedore.control.ecs.placement.PlacementJob;
import dev.stevedore.control.ecs.placement.PlacementOutcome;
import dev.stevedore.control.ecs.placement.PlanApplier;
import dev.stevedore.control.ecs.service.ServiceMessages;
import dev.stevedore.control.ecs.service.ServiceRef;
import dev.stevedore.control.ecs.service.rollout.Decision;
import dev.stevedore.control.ecs.task.TaskLaunches;
import dev.stevedore.control.ecs.task.TaskStatus;
import dev.stevedore.control.ecs.task.TaskTargets;
import dev.stevedore.control.elb.ServiceTargets;
import dev.stevedore.control.ecs.task.Tasks;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Failure;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Carries out a service scheduler's decision: stops in one compare-and-set transaction (desired
 * STOPPED with the scheduler's stop code and reason; the agent does the rest), starts through the
 * plan applier, the one writer of placements. What was done goes into the index at once, so the
 * next pass counts it even before the feed delivers it, and into the events ECS writes for it.
 */
final class ServiceActions {
    private static final int STOPS_PER_TRANSACTION = 100;

    private final StateStore store;
    private final PlanApplier applier;
    private final Clock clock;
    private final ServiceTargets targets;

    ServiceActions(StateStore store, PlanApplier applier, Clock clock, ServiceTargets targets) {
        this.store = store;
        this.applier = applier;
        this.clock = clock;
        this.targets = targets;
    }

    /** What the actions did: events to write, and whether a task found no place. */
    record Outcome(List<String> events, boolean unplaced) {
    }

    /** What starting tasks of one deployment needs: its definition and how its tasks are launched. */
    record StartSpec(TaskDefinition definition, TaskLaunches.Launch launch) {
    }

    /**
     * Stops the tasks; those of a load-balanced service that are registered go to DEACTIVATING with their
     * targets deregistered, and are stopped by their agents once the targets have drained.
     *
     * @param loadBalanced whether the service's tasks may have targets in target groups
     */
    Outcome stop(ServiceRef ref, List<Decision.Stop> stops, ServiceIndex.ClusterEntry cluster, boolean loadBalanced) {
        List<String> events = new ArrayList<>();
        List<String> runningIds = new ArrayList<>();
        Map<String, Integer> deregistered = new LinkedHashMap<>();
        int draining = 0;
        int pending = 0;
        for (int from = 0; from < stops.size(); from += STOPS_PER_TRANSACTION) {
            List<Decision.Stop> chunk = stops.subList(from, Math.min(stops.size(), from + STOPS_PER_TRANSACTION));
            Instant now = clock.instant();
            Stopped stopped = StoreTx.run(store, tx -> {
                List<Task> out = new ArrayList<>();
                Map<String, Integer> left = new LinkedHashMap<>();
                for (Decision.Stop s : chunk) {
                    Optional<Task> found = Tasks.read(tx, ref.scope(), ref.cluster(), s.task().taskArn());
                    if (found.isEmpty() || !"RUNNING".equals(found.get().desiredStatus())
                            || "STOPPED".equals(found.get().lastStatus())) {
                        continue;  // already stopping or gone: nothing to do
                    }
                    Task t = found.get();
                    Optional<TaskTargets> registered = loadBalanced && TaskStatus.RUNNING.equals(t.lastStatus())
                            ? TaskTargets.read(tx, ref.scope(), ref.cluster(), t) : Optional.empty();
                    if (TaskTargets.mustDeactivate(t, registered)) {
                        out.add(TaskTargets.deactivate(tx, targets, ref.scope(), ref.cluster(), t, registered.get(),
                                "ServiceSchedulerInitiated", s.reason(), now));
                        registered.get().registrations().forEach(r -> left.merge(r.targetGroupArn(), 1, Integer::sum));
                        continue;
                    }
                    Task next = Tasks.stopRequested(t, "ServiceSchedulerInitiated", s.reason(), now);
                    Tasks.write(tx, ref.scope(), ref.cluster(), next);
                    out.add(next);
                }
                return new Stopped(out, left);
            });
            stopped.deregistered().forEach((group, n) -> deregistered.merge(group, n, Integer::sum));
            for (Task t : stopped.tasks()) {
                cluster.putTask(EcsKeys.task(ref.scope(), ref.cluster(), Tasks.id(t)), summary(t));
                if (TaskStatus.DEACTIVATING.equals(t.lastStatus())) {
                    // Reported as stopped once its targets have drained and it moves on to STOPPING.
                    draining++;
                } else if ("RUNNING".equals(t.lastStatus())) {
                    runningIds.add(Tasks.id(t));
                } else {
                    pending++;
                }
            }
        }
        if (draining > 0) {
            events.add(ServiceMessages.drainingConnections(ref.name(), draining));
        }
        deregistered.forEach((group, n) -> events.add(ServiceMessages.deregisteredTargets(ref.name(), n, group)));
        if (!runningIds.isEmpty()) {
            events.add(ServiceMessages.stoppedRunning(ref.name(), runningIds));
        }
        if (pending > 0) {
            events.add(ServiceMessages.stoppedPending(ref.name(), pending));
        }
        return new Outcome(events, false);
    }

    /**
     * Places tasks: {@code count} anywhere, or one on each of {@code instances} when there are any.
     * Jobs of at most ten go to the plan applier together, and this waits for them all.
     *
     * @param replacingUnhealthy how many unhealthy tasks this step replaced, for ECS's wording
     */
    Outcome start(ServiceRef ref, StartSpec spec, int count, List<String> instances, int replacingUnhealthy,
                  ServiceIndex.ClusterEntry cluster) {
        EcsScope scope = ref.scope();
        List<CompletableFuture<PlacementOutcome>> futures = new ArrayList<>();
        if (instances.isEmpty()) {
            for (int from = 0; from < count; from += PlacementRequest.MAX_COUNT) {
                int n = Math.min(count - from, PlacementRequest.MAX_COUNT);
                futures.add(applier.submit(job(ref, spec.definition(), spec.launch().part(from, n), n, List.of())));
            }
        } else {
            for (int from = 0; from < instances.size(); from += PlacementRequest.MAX_COUNT) {
                futures.add(applier.submit(job(ref, spec.definition(), spec.launch(), 1,
                        instances.subList(from, Math.min(instances.size(), from + PlacementRequest.MAX_COUNT)))));
            }
        }
        List<String> started = new ArrayList<>();
        Optional<String> failedToLaunch = Optional.empty();
        Optional<Failure> firstFailure = Optional.empty();
        Optional<String> refusal = Optional.empty();
        for (CompletableFuture<PlacementOutcome> f : futures) {
            try {
                PlacementOutcome outcome = f.join();
                if (outcome instanceof PlacementOutcome.Placed placed) {
                    for (Task t : placed.tasks()) {
                        cluster.putTask(EcsKeys.task(scope, ref.cluster(), Tasks.id(t)), summary(t));
                        if (TaskStatus.STOPPED.equals(t.lastStatus())) {
                            // Made stopped at once (a Fargate task its subnets had no address for).
                            failedToLaunch = failedToLaunch.or(() -> Optional.ofNullable(t.stoppedReason()));
                        } else {
                            started.add(Tasks.id(t));
                        }
                    }
                    if (firstFailure.isEmpty() && !placed.failures().isEmpty()) {
                        firstFailure = Optional.of(placed.failures().getFirst());
                    }
                }
            } catch (CompletionException e) {
                if (e.getCause() instanceof AwsException refused) {
                    refusal = Optional.of(refused.getMessage());  // e.g. no container instances at all
                } else {
                    throw e;
                }
            }
        }
        List<String> events = new ArrayList<>();
        if (!started.isEmpty()) {
            events.add(replacingUnhealthy > 0
                    ? ServiceMessages.startedReplacingUnhealthy(ref.name(), started, replacingUnhealthy)
                    : ServiceMessages.started(ref.name(), started));
        }
        failedToLaunch.ifPresent(reason -> events.add(ServiceMessages.failedToLaunch(ref.name(), reason)));
        if (firstFailure.isPresent() && PlatformPool.NO_CAPACITY.equals(firstFailure.get().reason())) {
            events.add(ServiceMessages.unableToPlaceFor(ref.name(), PlatformPool.NO_CAPACITY));
        } else if (firstFailure.isPresent()) {
            events.add(ServiceMessages.unableToPlace(ref.name(), PlacementMessages.closest(firstFailure.get()),
                    PlacementMessages.detail(firstFailure.get())));
        } else if (refusal.isPresent()) {
            String reason = refusal.get().startsWith("No Container Instances") ? PlacementMessages.NO_INSTANCES
                    : " Reason: " + refusal.get();
            events.add(ServiceMessages.unableToPlace(ref.name(), reason, ""));
        }
        return new Outcome(events, firstFailure.isPresent() || refusal.isPresent());
    }

    /** What one stop transaction wrote: the tasks, and how many targets left each target group. */
    private record Stopped(List<Task> tasks, Map<String, Integer> deregistered) {
    }

    private PlacementJob job(ServiceRef ref, TaskDefinition definition, TaskLaunches.Launch launch, int count,
                             List<String> instances) {
        return TaskLaunches.job(ref.scope(), ref.cluster(), definition, launch, count, instances,
                UUID.randomUUID().toString(), clock);
    }

    static TaskSummary summary(Task task) {
        return new TaskSummary(task.taskArn(), task.containerInstanceArn(), task.taskDefinitionArn(), task.group(),
                task.startedBy(), task.lastStatus(), task.desiredStatus(), task.healthStatus(), task.availabilityZone(),
                task.launchType(), task.stopCode(), task.stoppedReason(), task.createdAt(), task.startedAt(),
                task.stoppingAt(), task.stoppedAt(), task.version(), task.capacityProviderName());
    }
}
