package dev.stevedore.control.ecs.service.controller;

import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.feed.ClusterRef;
import dev.stevedore.control.ecs.feed.TaskSummary;
import dev.stevedore.control.ecs.instance.InstanceSnapshots;
import dev.stevedore.control.ecs.placement.PlanApplier;
import dev.stevedore.control.ecs.service.ServiceEventLog;
import dev.stevedore.control.ecs.service.ServiceHistory;
import dev.stevedore.control.ecs.service.ServiceRef;
import dev.stevedore.control.ecs.service.ServiceStatus;
import dev.stevedore.control.ecs.service.Services;
import dev.stevedore.control.ecs.service.rollout.DaemonPlan;
import dev.stevedore.control.ecs.service.rollout.Decision;
import dev.stevedore.control.ecs.service.rollout.Progress;
import dev.stevedore.control.ecs.service.rollout.ReplicaPlan;
import dev.stevedore.control.ecs.service.rollout.RolloutSettings;
import dev.stevedore.control.ecs.service.rollout.ServiceTask;
import dev.stevedore.control.ecs.tags.Tags;
import dev.stevedore.control.ecs.task.TaskLaunches;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionOperations;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionRef;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.Deployment;
import dev.stevedore.model.ecs.PlacementStrategy;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.ServiceCurrentRevisionSummary;
import dev.stevedore.model.ecs.ServiceDeployment;
import dev.stevedore.model.ecs.ServiceRevision;
import dev.stevedore.model.ecs.Tag;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.TaskDefinitionPlacementConstraint;
import dev.stevedore.scheduler.query.ClusterQuery;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One pass of the service scheduler over one service: (1) bring the service's status up to date
 * with its tasks (counts, the circuit breaker, completion, steady state, INACTIVE after a delete)
 * and write it, with the history and events that go with it; (2) decide what to start and stop;
 * (3) do it; (4) write the events of what was done. Nothing is carried from one pass to the next
 * except what the store and the index hold.
 */
final class ServiceReconciler {
    /** ECS spreads a service's tasks over zones, then instances, when the service names no strategy. */
    static final List<PlacementStrategy> DEFAULT_STRATEGY = List.of(
            PlacementStrategy.builder().type("spread").field("attribute:ecs.availability-zone").build(),
            PlacementStrategy.builder().type("spread").field("instanceId").build());

    private final StateStore store;
    private final ServiceIndex index;
    private final TaskDefinitionOperations definitions;
    private final Clock clock;
    private final RolloutSettings settings;
    private final ServiceActions actions;
    /** Task definitions by ARN; a revision's content never changes. */
    private final Map<String, TaskDefinition> definitionCache = new ConcurrentHashMap<>();

    ServiceReconciler(StateStore store, ServiceIndex index, PlanApplier applier, TaskDefinitionOperations definitions,
                      Clock clock, RolloutSettings settings) {
        this.store = store;
        this.index = index;
        this.definitions = definitions;
        this.clock = clock;
        this.settings = settings;
        this.actions = new ServiceActions(store, applier, clock);
    }

    Optional<Duration> reconcile(ServiceRef ref) {
        Instant now = clock.instant();
        ServiceIndex.ClusterEntry cluster = index.cluster(new ClusterRef(ref.scope(), ref.cluster()));
        long seenRevision = cluster.revision();
        Optional<Service> stored = store.get(ref.key()).map(kv -> Records.decode(kv.value(), Service.class));
        if (stored.isEmpty() || ServiceStatus.INACTIVE.equals(stored.get().status())
                || Services.isExternal(stored.get())) {
            cluster.waitForCapacity(ref.name(), false);
            return Optional.empty();
        }
        List<ServiceTask> tasks = tasks(ref, cluster, now);
        Optional<List<DaemonPlan.Instance>> daemonInstances = Services.isDaemon(stored.get())
                ? Optional.of(daemonInstances(ref, stored.get(), cluster)) : Optional.empty();
        Optional<Service> current = writeProgress(ref, tasks, daemonInstances, now);
        if (current.isEmpty() || ServiceStatus.INACTIVE.equals(current.get().status())) {
            cluster.waitForCapacity(ref.name(), false);
            return Optional.empty();
        }
        Service service = current.get();
        int desired = effectiveDesired(service, daemonInstances);
        Decision decision = daemonInstances.isPresent()
                ? DaemonPlan.decide(service, tasks, daemonInstances.get(), now, settings)
                : ReplicaPlan.decide(service, tasks, desired, now, settings);

        List<String> events = new ArrayList<>(decision.events());
        boolean unplaced = false;
        if (!decision.stops().isEmpty()) {
            events.addAll(actions.stop(ref, decision.stops(), cluster).events());
        }
        int unhealthyReplaced = (int) decision.stops().stream().filter(Decision.Stop::unhealthy).count();
        for (Map.Entry<String, Integer> start : decision.starts().entrySet()) {
            ServiceActions.Outcome o = actions.start(ref, startSpec(ref, service, start.getKey()), start.getValue(),
                    List.of(), unhealthyReplaced, cluster, seenRevision);
            events.addAll(o.events());
            unplaced |= o.unplaced();
        }
        for (Map.Entry<String, List<String>> start : decision.namedStarts().entrySet()) {
            ServiceActions.Outcome o = actions.start(ref, startSpec(ref, service, start.getKey()), 0,
                    start.getValue(), unhealthyReplaced, cluster, seenRevision);
            events.addAll(o.events());
            unplaced |= o.unplaced();
        }
        cluster.waitForCapacity(ref.name(), unplaced);
        appendEvents(ref, events, now);

        Optional<Instant> recheck = decision.recheckAt();
        if (unplaced) {
            recheck = earliest(recheck, Optional.of(now.plus(settings.placementRetry())));
        }
        List<ServiceTask> primaryTasks = Services.primary(service)
                .map(p -> tasks.stream().filter(t -> t.deploymentId().equals(p.id())).toList()).orElse(List.of());
        recheck = earliest(recheck, Progress.bakeEnds(service, primaryTasks, now));
        // Steady services say so again every six hours, as ECS's do.
        recheck = earliest(recheck, Optional.of(now.plus(ServiceEventLog.REPEAT_AFTER)));
        return recheck.map(at -> Duration.between(clock.instant(), at)).map(d -> d.isNegative() ? Duration.ZERO : d);
    }

    /** Step (1): the service's status from its tasks, written with its history and events when it changed. */
    private Optional<Service> writeProgress(ServiceRef ref, List<ServiceTask> tasks,
                                            Optional<List<DaemonPlan.Instance>> daemonInstances, Instant now) {
        return StoreTx.run(store, tx -> {
            Optional<Service> fresh = Services.read(tx, ref);
            if (fresh.isEmpty()) {
                return Optional.<Service>empty();
            }
            int desired = effectiveDesired(fresh.get(), daemonInstances);
            Progress.Result progress = Progress.apply(fresh.get(), tasks, desired, now, settings,
                    () -> lastCompleted(tx, ref));
            Service next = withCurrentRevisions(ref, progress.service());
            if (!next.equals(fresh.get())) {
                Services.write(tx, ref, next);
                HistorySync.sync(tx, ref, next, progress, now);
            }
            if (!progress.events().isEmpty()) {
                ServiceEventLog log = tx.read(ref.eventsKey(), ServiceEventLog.class).orElse(ServiceEventLog.empty());
                ServiceEventLog after = log.with(progress.events(), now);
                if (!after.equals(log)) {
                    tx.put(ref.eventsKey(), after);
                }
            }
            return Optional.of(next);
        });
    }

    private void appendEvents(ServiceRef ref, List<String> events, Instant now) {
        if (events.isEmpty()) {
            return;
        }
        StoreTx.run(store, tx -> {
            if (Services.read(tx, ref).isEmpty()) {
                return null;
            }
            ServiceEventLog log = tx.read(ref.eventsKey(), ServiceEventLog.class).orElse(ServiceEventLog.empty());
            ServiceEventLog after = log.with(events, now);
            if (!after.equals(log)) {
                tx.put(ref.eventsKey(), after);
            }
            return null;
        });
    }

    private static int effectiveDesired(Service service, Optional<List<DaemonPlan.Instance>> daemonInstances) {
        if (ServiceStatus.DRAINING.equals(service.status())) {
            return 0;
        }
        return daemonInstances.map(DaemonPlan::desiredCount)
                .orElse(Optional.ofNullable(service.desiredCount()).orElse(0));
    }

    private List<ServiceTask> tasks(ServiceRef ref, ServiceIndex.ClusterEntry cluster, Instant now) {
        List<ServiceTask> out = new ArrayList<>();
        for (TaskSummary t : cluster.tasksOf(ref.name())) {
            boolean draining = t.instanceArn().flatMap(cluster::instance)
                    .map(h -> !"ACTIVE".equals(h.status())).orElse(false);
            out.add(new ServiceTask(t, draining, cluster.isProtected(t.id(), now), healthChecked(ref, t.taskDefinitionArn())));
        }
        return out;
    }

    private boolean healthChecked(ServiceRef ref, String taskDefinitionArn) {
        return definition(ref, taskDefinitionArn).map(ServiceReconciler::hasEssentialHealthCheck).orElse(false);
    }

    static boolean hasEssentialHealthCheck(TaskDefinition td) {
        for (ContainerDefinition c : td.containerDefinitions()) {
            if (!Boolean.FALSE.equals(c.essential()) && c.healthCheck() != null) {
                return true;
            }
        }
        return false;
    }

    private Optional<TaskDefinition> definition(ServiceRef ref, String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        TaskDefinition cached = definitionCache.get(arn);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<TaskDefinition> td = TaskDefinitionRef.parse(ref.scope(), arn).flatMap(r -> definitions.find(ref.scope(), r));
        td.ifPresent(d -> definitionCache.put(arn, d));
        return td;
    }

    /** How a deployment's tasks are started: its definition, the service's group, tags and placement. */
    private ServiceActions.StartSpec startSpec(ServiceRef ref, Service service, String deploymentId) {
        Deployment deployment = Services.deployments(service).stream().filter(d -> d.id().equals(deploymentId))
                .findFirst().orElseThrow(() -> new IllegalStateException("no deployment " + deploymentId));
        TaskDefinition td = definition(ref, deployment.taskDefinition())
                .orElseThrow(() -> new IllegalStateException("task definition " + deployment.taskDefinition() + " is gone"));
        List<PlacementStrategy> strategies = service.placementStrategy() == null || service.placementStrategy().isEmpty()
                ? (Services.isDaemon(service) ? List.of() : DEFAULT_STRATEGY) : service.placementStrategy();
        TaskLaunches.Launch launch = new TaskLaunches.Launch("service:" + ref.name(), deploymentId,
                taskTags(ref, service, td), Boolean.TRUE.equals(service.enableExecuteCommand()),
                service.placementConstraints() == null ? List.of() : service.placementConstraints(), strategies);
        return new ServiceActions.StartSpec(td, launch);
    }

    /** What the service's tasks are tagged with: propagated tags, then ECS's managed tags. */
    private List<Tag> taskTags(ServiceRef ref, Service service, TaskDefinition td) {
        List<Tag> tags = new ArrayList<>();
        if ("SERVICE".equals(service.propagateTags())) {
            tags.addAll(StoreTx.run(store, tx -> Tags.read(tx, ref.scope(), service.serviceArn())));
        } else if ("TASK_DEFINITION".equals(service.propagateTags())) {
            tags.addAll(StoreTx.run(store, tx -> Tags.read(tx, ref.scope(), td.taskDefinitionArn())));
        }
        if (Boolean.TRUE.equals(service.enableECSManagedTags())) {
            tags.add(new Tag("aws:ecs:clusterName", ref.cluster()));
            tags.add(new Tag("aws:ecs:serviceName", ref.name()));
        }
        return tags;
    }

    /** Every instance of the cluster, eligible when ACTIVE and meeting the service's and definition's constraints. */
    private List<DaemonPlan.Instance> daemonInstances(ServiceRef ref, Service service, ServiceIndex.ClusterEntry cluster) {
        List<ClusterQuery> queries = new ArrayList<>();
        Optional.ofNullable(service.placementConstraints()).orElse(List.of()).stream()
                .filter(c -> "memberOf".equals(c.type()) && c.expression() != null)
                .forEach(c -> queries.add(ClusterQuery.parse(c.expression())));
        Services.primary(service).flatMap(p -> definition(ref, p.taskDefinition())).ifPresent(td -> {
            for (TaskDefinitionPlacementConstraint c : Optional.ofNullable(td.placementConstraints()).orElse(List.of())) {
                if (c.expression() != null) {
                    queries.add(ClusterQuery.parse(c.expression()));
                }
            }
        });
        List<DaemonPlan.Instance> out = new ArrayList<>();
        for (ServiceIndex.InstanceEntry e : cluster.instances()) {
            boolean active = "ACTIVE".equals(e.header().status());
            boolean eligible = active;
            if (active && !queries.isEmpty()) {
                ContainerInstance instance = Records.decode(e.record(), ContainerInstance.class);
                var state = InstanceSnapshots.toState(instance, Map.of());
                eligible = queries.stream().allMatch(q -> q.matches(state));
            }
            if ("INACTIVE".equals(e.header().status())) {
                continue;
            }
            out.add(new DaemonPlan.Instance(e.header().containerInstanceArn(), eligible, e.header().connected()));
        }
        out.sort(Comparator.comparing(DaemonPlan.Instance::arn));
        return out;
    }

    /** The last deployment that completed, from the history, for a rollback. */
    private static Optional<Progress.RollbackTarget> lastCompleted(StoreTx tx, ServiceRef ref) {
        return tx.scan(EcsKeys.serviceDeployments(ref.scope(), ref.cluster(), ref.name()), ServiceDeployment.class)
                .stream()
                .filter(sd -> ServiceHistory.SUCCESSFUL.equals(sd.status()) && sd.finishedAt() != null)
                .max(Comparator.comparing(ServiceDeployment::finishedAt))
                .flatMap(sd -> {
                    String arn = sd.targetServiceRevision().arn();
                    String number = arn.substring(arn.lastIndexOf('/') + 1);
                    String deploymentId = "ecs-svc/" + number;
                    return ServiceHistory.readRevision(tx, ref, deploymentId)
                            .map(ServiceRevision::taskDefinition)
                            .map(td -> new Progress.RollbackTarget(deploymentId, td));
                });
    }

    private static Service withCurrentRevisions(ServiceRef ref, Service service) {
        if (service.deployments() == null || service.deployments().isEmpty()) {
            return service;
        }
        List<ServiceCurrentRevisionSummary> revisions = service.deployments().stream()
                .map(d -> ServiceCurrentRevisionSummary.builder()
                        .arn(ServiceHistory.revisionArn(ref, d.id()))
                        .requestedTaskCount(d.desiredCount())
                        .runningTaskCount(d.runningCount())
                        .pendingTaskCount(d.pendingCount())
                        .build())
                .toList();
        return revisions.equals(service.currentServiceRevisions()) ? service
                : service.toBuilder().currentServiceRevisions(revisions).build();
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().isBefore(b.get()) ? a : b;
    }
}
