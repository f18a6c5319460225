package dev.stevedore.control.ecs.service.controller;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.control.ec2.VpcDirectory;
import dev.stevedore.control.ecs.fargate.FargateLaunch;
import dev.stevedore.control.ecs.feed.ClusterRef;
import dev.stevedore.control.ecs.placement.TaskNetwork;
import dev.stevedore.control.ecs.service.ServiceMessages;
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
import dev.stevedore.control.ecs.service.rollout.TaskSetPlan;
import dev.stevedore.control.ecs.service.rollout.TaskSetProgress;
import dev.stevedore.control.ecs.tags.Tags;
import dev.stevedore.control.ecs.task.TaskLaunches;
import dev.stevedore.control.ecs.task.TaskRoleTrust;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionOperations;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionRef;
import dev.stevedore.control.state.DecodeCache;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.Deployment;
import dev.stevedore.model.ecs.LoadBalancer;
import dev.stevedore.model.ecs.ServiceRevision;
import dev.stevedore.control.elb.ServiceTargets;
import dev.stevedore.model.ecs.NetworkConfiguration;
import dev.stevedore.model.ecs.PlacementStrategy;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.ServiceCurrentRevisionSummary;
import dev.stevedore.model.ecs.Tag;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.TaskDefinitionPlacementConstraint;
import dev.stevedore.model.ecs.TaskSet;
import dev.stevedore.scheduler.query.ClusterQuery;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One pass of the service scheduler over one service: (1) bring the service's status up to date
 * with its tasks (counts, the circuit breaker, completion, steady state, INACTIVE after a delete)
 * and write it, with the history and events that go with it; (2) decide what to start and stop;
 * (3) do it; (4) write the events of what was done. Nothing is carried from one pass to the next
 * except what the store and the index hold. Services of the EXTERNAL controller take the same
 * steps over their task sets ({@link TaskSetProgress}, {@link TaskSetPlan}).
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
    private final VpcDirectory vpcs;
    private final TaskRoleTrust roleTrust;
    private final ServiceTargetSync targetSync;
    private final TrafficShiftSync trafficSync;
    /** Each deployment's load balancers, from the revision it rolls out (which never changes). */
    private final Map<String, List<LoadBalancer>> revisionLoadBalancers = new ConcurrentHashMap<>();
    /** The services as last decoded; a pass reads its service twice, most often unchanged. */
    private final DecodeCache<Service> services = new DecodeCache<>(Service.class);
    /** Task definitions by ARN; a revision's content never changes. */
    private final Map<String, TaskDefinition> definitionCache = new ConcurrentHashMap<>();

    ServiceReconciler(StateStore store, ServiceIndex index, PlanApplier applier, TaskDefinitionOperations definitions,
                      Clock clock, RolloutSettings settings, TaskRoleTrust roleTrust, ServiceTargets targets) {
        this.store = store;
        this.roleTrust = roleTrust;
        this.index = index;
        this.definitions = definitions;
        this.clock = clock;
        this.settings = settings;
        this.actions = new ServiceActions(store, applier, clock, targets);
        this.targetSync = new ServiceTargetSync(store, targets);
        this.trafficSync = new TrafficShiftSync(store, targets, settings);
        this.vpcs = new VpcDirectory(store);
    }

    Optional<Duration> reconcile(ServiceRef ref) {
        Instant now = clock.instant();
        ServiceIndex.ClusterEntry cluster = index.cluster(new ClusterRef(ref.scope(), ref.cluster()));
        Optional<Service> stored = store.get(ref.key()).map(services::decode);
        if (stored.isEmpty()) {
            services.forget(ref.key());
        }
        if (stored.isEmpty() || ServiceStatus.INACTIVE.equals(stored.get().status())) {
            cluster.waitForCapacity(ref.name(), false);
            return Optional.empty();
        }
        // (0) A load-balanced service's targets: registered as tasks run, drained before tasks stop.
        Service current = stored.get();
        boolean loadBalanced = loadBalanced(ref, current, cluster);
        // A traffic-shifting service's deployments register in the groups its traffic record places them in.
        boolean shifting = TrafficShiftSync.applies(current);
        Optional<TrafficShiftSync.Placement> placement = shifting ? Optional.of(trafficSync.placement(ref))
                : Optional.empty();
        ServiceTargetSync.Result targets = loadBalanced
                ? targetSync.sync(ref, cluster.tasksOf(ref.name()),
                        d -> placement.map(p -> p.of(d, loadBalancersOf(ref, current, d)))
                                .orElseGet(() -> loadBalancersOf(ref, current, d)),
                        arn -> definition(ref, arn), cluster)
                : ServiceTargetSync.Result.NONE;
        // (1) The status the tasks imply, in memory: decisions must see a tripped circuit breaker
        // and the rollback it starts before they launch anything more.
        List<ServiceTask> tasks = tasks(ref, cluster, now, targets);
        Optional<List<DaemonPlan.Instance>> daemonInstances = Services.isDaemon(stored.get())
                ? Optional.of(daemonInstances(ref, stored.get(), cluster)) : Optional.empty();
        Service service = Progress.apply(stored.get(), tasks, effectiveDesired(stored.get(), daemonInstances), now,
                settings, () -> lastCompleted(store, ref)).service();
        if (ServiceStatus.INACTIVE.equals(service.status())) {
            writeStatus(ref, cluster, daemonInstances, targets.events(), now, targets);
            return Optional.empty();
        }
        // (2) What to start and stop.
        int desired = effectiveDesired(service, daemonInstances);
        TrafficShiftSync.Outcome shift = shifting && TrafficShiftSync.applies(service)
                ? trafficSync.advance(ref, service, tasks, desired, now) : TrafficShiftSync.Outcome.NONE;
        if (shift.rolledBack()) {
            // A pause hook's timeout rolled the deployment back: this pass's service is stale, so look again.
            writeStatus(ref, cluster, daemonInstances, shift.events(), now, targets);
            return Optional.of(Duration.ZERO);
        }
        Decision decision = daemonInstances.isPresent()
                ? DaemonPlan.decide(service, tasks, daemonInstances.get(), now, settings)
                : Services.isExternal(service) ? TaskSetPlan.decide(service, tasks, now, settings)
                : shifting ? TrafficShiftSync.held(ReplicaPlan.decide(TrafficShiftSync.sideBySide(service), tasks,
                        desired, now, settings), shift)
                : ReplicaPlan.decide(service, tasks, desired, now, settings);
        // (3) Do it.
        List<String> events = new ArrayList<>(targets.events());
        events.addAll(shift.events());
        events.addAll(decision.events());
        boolean unplaced = false;
        if (!decision.stops().isEmpty()) {
            events.addAll(actions.stop(ref, decision.stops(), cluster, loadBalanced).events());
        }
        int unhealthyReplaced = (int) decision.stops().stream().filter(Decision.Stop::unhealthy).count();
        for (Map.Entry<String, Integer> start : decision.starts().entrySet()) {
            ServiceActions.StartSpec spec;
            try {
                spec = startSpec(ref, service, start.getKey(), start.getValue(), tasks);
            } catch (AwsException e) {
                // The deployment's network no longer resolves (a subnet or group was deleted), or
                // ECS cannot assume its roles.
                events.add(ServiceMessages.failedToLaunch(ref.name(), e.getMessage()));
                unplaced = true;
                continue;
            }
            ServiceActions.Outcome o = actions.start(ref, spec, start.getValue(), List.of(), unhealthyReplaced, cluster);
            events.addAll(o.events());
            unplaced |= o.unplaced();
        }
        for (Map.Entry<String, List<String>> start : decision.namedStarts().entrySet()) {
            ServiceActions.StartSpec spec;
            try {
                spec = startSpec(ref, service, start.getKey(), 0, tasks);
            } catch (AwsException e) {
                events.add(ServiceMessages.failedToLaunch(ref.name(), e.getMessage()));
                unplaced = true;
                continue;
            }
            ServiceActions.Outcome o = actions.start(ref, spec, 0, start.getValue(), unhealthyReplaced, cluster);
            events.addAll(o.events());
            unplaced |= o.unplaced();
        }
        cluster.waitForCapacity(ref.name(), unplaced);
        // (4) The status after it, with everything this pass is worth saying, in one commit.
        Optional<Service> written = writeStatus(ref, cluster, daemonInstances, events, now, targets);
        if (written.isEmpty()) {
            return Optional.empty();
        }

        Optional<Instant> recheck = decision.recheckAt();
        if (unplaced) {
            recheck = earliest(recheck, Optional.of(now.plus(settings.placementRetry())));
        }
        // A drain or a health verdict comes from the load balancer, not through the store.
        recheck = earliest(recheck, targets.recheckAfter().map(now::plus));
        recheck = earliest(recheck, shift.recheckAt());
        List<ServiceTask> primaryTasks = Services.primary(service)
                .map(p -> tasks.stream().filter(t -> t.deploymentId().equals(p.id())).toList()).orElse(List.of());
        recheck = earliest(recheck, Progress.bakeEnds(service, primaryTasks, now));
        // A protection running out frees its task for scale-in, and no record changes to say so.
        recheck = earliest(recheck, cluster.protectionEnds(tasks.stream().map(ServiceTask::id).toList(), now));
        // Steady services say so again every six hours, as ECS's do.
        recheck = earliest(recheck, Optional.of(now.plus(ServiceEventLog.REPEAT_AFTER)));
        return recheck.map(at -> Duration.between(clock.instant(), at)).map(d -> d.isNegative() ? Duration.ZERO : d);
    }

    /**
     * Step (4): the service's status from its tasks as they now are (after this pass's actions),
     * written with its history and events when anything changed. The circuit breaker's events come
     * first, then what this pass did, then where the service now is.
     */
    private Optional<Service> writeStatus(ServiceRef ref, ServiceIndex.ClusterEntry cluster,
                                          Optional<List<DaemonPlan.Instance>> daemonInstances, List<String> done,
                                          Instant now, ServiceTargetSync.Result targets) {
        List<ServiceTask> tasks = tasks(ref, cluster, now, targets);
        return StoreTx.run(store, tx -> {
            Optional<Service> fresh = Services.read(tx, ref, services);
            if (fresh.isEmpty()) {
                return Optional.<Service>empty();
            }
            int desired = effectiveDesired(fresh.get(), daemonInstances);
            Progress.Result progress = Services.isExternal(fresh.get())
                    ? TaskSetProgress.apply(fresh.get(), tasks, now)
                    : Progress.apply(fresh.get(), tasks, desired, now, settings, () -> lastCompleted(tx, ref));
            Service next = withCurrentRevisions(ref, progress.service());
            if (!next.equals(fresh.get())) {
                Services.write(tx, ref, next);
                HistorySync.sync(tx, ref, next, progress, now);
                TaskSetProgress.removed(fresh.get(), next).forEach(arn -> Tags.write(tx, ref.scope(), arn, List.of()));
            }
            List<String> events = new ArrayList<>(progress.failures());
            events.addAll(done);
            events.addAll(progress.outcomes());
            if (!events.isEmpty()) {
                ServiceEventLog log = tx.read(ref.eventsKey(), ServiceEventLog.class).orElse(ServiceEventLog.empty());
                ServiceEventLog after = log.with(events, now);
                if (!after.equals(log)) {
                    tx.put(ref.eventsKey(), after);
                }
            }
            return Optional.of(next);
        });
    }

    private static int effectiveDesired(Service service, Optional<List<DaemonPlan.Instance>> daemonInstances) {
        if (ServiceStatus.DRAINING.equals(service.status())) {
            return 0;
        }
        return daemonInstances.map(DaemonPlan::desiredCount)
                .orElse(Optional.ofNullable(service.desiredCount()).orElse(0));
    }

    private List<ServiceTask> tasks(ServiceRef ref, ServiceIndex.ClusterEntry cluster, Instant now,
                                    ServiceTargetSync.Result targets) {
        List<ServiceTask> out = new ArrayList<>();
        for (ServiceIndex.TaskView t : cluster.serviceTasks(ref.name(), now)) {
            out.add(new ServiceTask(t.task(), t.onDrainingInstance(), t.protectedNow(),
                    healthChecked(ref, t.task().taskDefinitionArn()), targets.of(t.task().taskArn())));
        }
        return out;
    }

    /** Whether the service, or the deployment of any task it still has, names load balancers. */
    private boolean loadBalanced(ServiceRef ref, Service service, ServiceIndex.ClusterEntry cluster) {
        if (service.loadBalancers() != null && !service.loadBalancers().isEmpty()) {
            return true;
        }
        if (Services.isExternal(service)) {
            return false;  // task sets cannot name load balancers yet
        }
        java.util.Set<String> deployments = new java.util.HashSet<>();
        for (TaskSummary t : cluster.tasksOf(ref.name())) {
            if (t.startedBy() != null && deployments.add(t.startedBy())
                    && !loadBalancersOf(ref, service, t.startedBy()).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** A deployment's load balancers: those of the revision it rolls out, else the service's. */
    private List<LoadBalancer> loadBalancersOf(ServiceRef ref, Service service, String deploymentId) {
        if (deploymentId.isEmpty()) {
            return List.of();
        }
        String key = ServiceHistory.revisionKey(ref, deploymentId);
        List<LoadBalancer> cached = revisionLoadBalancers.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<List<LoadBalancer>> fromRevision = store.get(key)
                .map(kv -> Records.decode(kv.value(), ServiceRevision.class))
                .map(r -> r.loadBalancers() == null ? List.<LoadBalancer>of() : List.copyOf(r.loadBalancers()));
        fromRevision.ifPresent(lbs -> revisionLoadBalancers.put(key, lbs));
        return fromRevision.orElseGet(() -> service.loadBalancers() == null ? List.of() : service.loadBalancers());
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

    /**
     * How {@code count} tasks of a deployment (or task set) are started: its definition, the
     * service's group, tags and placement; for a Fargate deployment, its own platform version and
     * network (resolved now, so a subnet deleted since is noticed) and each task's capacity provider.
     * The providers continue the split of the deployment's tasks not yet stopped, so a base is met
     * once however many passes start the tasks: a deployment's strategy is about its own tasks, which
     * become all of the service's as it completes.
     */
    private ServiceActions.StartSpec startSpec(ServiceRef ref, Service service, String deploymentId, int count,
                                               List<ServiceTask> tasks) {
        Optional<Deployment> deployment = Services.deployments(service).stream()
                .filter(d -> d.id().equals(deploymentId)).findFirst();
        String arn = deployment.map(Deployment::taskDefinition)
                .or(() -> Services.taskSets(service).stream().filter(s -> s.id().equals(deploymentId))
                        .map(TaskSet::taskDefinition).findFirst())
                .orElseThrow(() -> new IllegalStateException("no deployment or task set " + deploymentId));
        TaskDefinition td = definition(ref, arn)
                .orElseThrow(() -> new IllegalStateException("task definition " + arn + " is gone"));
        roleTrust.requireAssumable(ref.scope(), td, null);
        List<Tag> tags = taskTags(ref, service, td);
        boolean exec = Boolean.TRUE.equals(service.enableExecuteCommand());
        String group = "service:" + ref.name();
        if (deployment.isPresent() && Services.isFargate(deployment.get())) {
            Deployment d = deployment.get();
            TaskNetwork network = FargateLaunch.network(vpcs, ref.scope(), td, d.networkConfiguration())
                    .orElseThrow(() -> new IllegalStateException("a Fargate deployment without an awsvpc network"));
            Map<String, Integer> held = new HashMap<>();
            tasks.stream().filter(t -> t.deploymentId().equals(deploymentId) && t.active())
                    .forEach(t -> t.summary().capacityProvider().ifPresent(p -> held.merge(p, 1, Integer::sum)));
            List<String> providers = new FargateLaunch.Choice.Fargate(
                    Optional.ofNullable(d.capacityProviderStrategy()).orElse(List.of())).providers(held, count);
            String platformVersion = Optional.ofNullable(d.platformVersion())
                    .orElseGet(() -> FargateLaunch.platformVersion(service.platformVersion()));
            return new ServiceActions.StartSpec(td, new TaskLaunches.Launch(group, deploymentId, tags, exec, List.of(),
                    List.of(), Optional.of(new TaskLaunches.Platform(platformVersion, network, providers)),
                    Optional.empty()));
        }
        List<PlacementStrategy> strategies = service.placementStrategy() == null || service.placementStrategy().isEmpty()
                ? (Services.isDaemon(service) ? List.of() : DEFAULT_STRATEGY) : service.placementStrategy();
        // An awsvpc service on the cluster's own instances: the deployment's network, resolved now too.
        NetworkConfiguration networkConfiguration = deployment.map(Deployment::networkConfiguration)
                .orElse(service.networkConfiguration());
        Optional<TaskNetwork> network = FargateLaunch.ec2Network(vpcs, ref.scope(), td, networkConfiguration);
        TaskLaunches.Launch launch = new TaskLaunches.Launch(group, deploymentId, tags, exec,
                service.placementConstraints() == null ? List.of() : service.placementConstraints(), strategies,
                Optional.empty(), network);
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
            out.add(new DaemonPlan.Instance(e.header().containerInstanceArn(), eligible, e.header().agentConnected()));
        }
        out.sort(Comparator.comparing(DaemonPlan.Instance::arn));
        return out;
    }

    private static Optional<Progress.RollbackTarget> lastCompleted(StateStore store, ServiceRef ref) {
        return StoreTx.run(store, tx -> lastCompleted(tx, ref));
    }

    /** The last deployment that completed, from the history, for a rollback. */
    private static Optional<Progress.RollbackTarget> lastCompleted(StoreTx tx, ServiceRef ref) {
        return ServiceHistory.lastSuccessful(tx, ref)
                .map(c -> new Progress.RollbackTarget(c.deploymentId(), c.revision().taskDefinition(),
                        Optional.of(c.revision())));
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
