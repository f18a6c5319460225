package dev.stevedore.control.ecs.service;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ec2.VpcDirectory;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.cluster.Clusters;
import dev.stevedore.control.elb.ServiceTargets;
import dev.stevedore.control.ecs.fargate.FargateLaunch;
import dev.stevedore.control.ecs.tags.Tags;
import dev.stevedore.control.ecs.task.TaskLaunches;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionOperations;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Cluster;
import dev.stevedore.model.ecs.CreateServiceRequest;
import dev.stevedore.model.ecs.CreateServiceResponse;
import dev.stevedore.model.ecs.DeleteServiceRequest;
import dev.stevedore.model.ecs.DeleteServiceResponse;
import dev.stevedore.model.ecs.Deployment;
import dev.stevedore.model.ecs.LoadBalancer;
import dev.stevedore.model.ecs.DeploymentConfiguration;
import dev.stevedore.model.ecs.DeploymentController;
import dev.stevedore.model.ecs.NetworkConfiguration;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.ServiceDeployment;
import dev.stevedore.model.ecs.ServiceRevisionSummary;
import dev.stevedore.model.ecs.Tag;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.UpdateServiceRequest;
import dev.stevedore.model.ecs.UpdateServiceResponse;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * CreateService, UpdateService and DeleteService: the writes of a service's specification. They
 * record what is wanted (a new deployment, a desired count, DRAINING); the service controller
 * makes it so.
 */
public final class ServiceOperations {
    private final StateStore store;
    private final Clock clock;
    private final TaskDefinitionOperations definitions;
    private final VpcDirectory vpcs;
    private final ServiceTargets targets;

    public ServiceOperations(StateStore store, Clock clock, TaskDefinitionOperations definitions,
                             ServiceTargets targets) {
        this.store = store;
        this.targets = targets;
        this.vpcs = new VpcDirectory(store);
        this.clock = clock;
        this.definitions = definitions;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateService", Operations.typed(CreateServiceRequest.class, this::create),
                "UpdateService", Operations.typed(UpdateServiceRequest.class, this::update),
                "DeleteService", Operations.typed(DeleteServiceRequest.class, this::delete));
    }

    /** A CreateService clientToken already answered: the request it answered and the service it made. */
    record CreateToken(String fingerprint, String serviceArn, Instant createdAt) {
    }

    CreateServiceResponse create(CallContext ctx, CreateServiceRequest r) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, r.cluster());
        ServiceRules.checkName(r.serviceName());
        String controller = ServiceRules.controller(r.deploymentController() == null ? null : r.deploymentController().type());
        String strategy = ServiceRules.schedulingStrategy(r.schedulingStrategy(), controller);
        Cluster clusterRecord = StoreTx.run(store, tx -> Clusters.requireActive(tx, scope, cluster));
        ServiceLaunch launch = ServiceLaunch.create(scope, clusterRecord, r.launchType(), r.capacityProviderStrategy(),
                strategy, controller);
        int desired = ServiceRules.desiredCount(r.desiredCount(), strategy);
        DeploymentConfiguration config = ServiceRules.deploymentConfiguration(r.deploymentConfiguration(), strategy,
                controller);
        var constraints = ServiceRules.placementConstraints(r.placementConstraints());
        var strategies = ServiceRules.placementStrategy(r.placementStrategy(), strategy);
        Optional<Integer> grace = ServiceRules.gracePeriod(r.healthCheckGracePeriodSeconds());
        ServiceRules.checkUnsupported(null, r.serviceRegistries(), r.serviceConnectConfiguration(),
                r.volumeConfigurations(), r.vpcLatticeConfigurations(), null);
        Optional<String> platformVersion = launch.platformVersion(r.platformVersion());
        Optional<TaskDefinition> td = Optional.empty();
        if (ServiceStatus.EXTERNAL.equals(controller)) {
            if (r.role() != null) {
                throw EcsErrors.invalidParameter("You cannot specify an IAM role for services that require a service "
                        + "linked role.");
            }
            if (r.loadBalancers() != null && !r.loadBalancers().isEmpty()) {
                throw EcsErrors.of("UnsupportedFeatureException", "Stevedore does not register the tasks of task "
                        + "sets with load balancers yet; a service of the EXTERNAL controller cannot name "
                        + "loadBalancers.");
            }
            if (r.taskDefinition() != null) {
                throw EcsErrors.invalidParameter("A service that uses the EXTERNAL deployment controller takes its "
                        + "task definition from its task sets; do not specify taskDefinition.");
            }
        } else {
            if (r.taskDefinition() == null || r.taskDefinition().isEmpty()) {
                throw EcsErrors.invalidParameter("Family should not be null or empty.");
            }
            td = Optional.of(TaskLaunches.activeDefinition(definitions, scope, r.taskDefinition()));
        }
        NetworkConfiguration network = r.networkConfiguration();
        if (launch.fargate()) {
            network = ServiceLaunch.checkFargate(vpcs, scope, td.orElseThrow(), constraints, strategies, network);
        } else {
            td.ifPresent(d -> {
                ServiceRules.checkNetwork(d, r.networkConfiguration());
                FargateLaunch.ec2Network(vpcs, scope, d, r.networkConfiguration());
            });
        }
        NetworkConfiguration networkShown = network;
        List<LoadBalancer> loadBalancers = td.map(d -> LoadBalancerRules.check(targets, scope, r.loadBalancers(), d))
                .orElse(List.of());
        AdvancedConfigurationRules.checkStrategy(config, loadBalancers);
        Optional<String> roleArn = td.flatMap(d -> LoadBalancerRules.role(r.role(), loadBalancers, d, scope));
        List<Tag> tags = Tags.checkNew(r.tags());
        String fingerprint = fingerprint(r.toBuilder().clientToken(null).build());
        Instant now = clock.instant();
        Optional<TaskDefinition> definition = td;
        Service created = StoreTx.run(store, tx -> {
            Clusters.requireActive(tx, scope, cluster);
            ServiceRef ref = new ServiceRef(scope, cluster, r.serviceName());
            Optional<Service> existing = Services.read(tx, ref);
            Optional<CreateToken> token = Optional.ofNullable(r.clientToken())
                    .flatMap(t -> tx.read(EcsKeys.createServiceToken(scope, cluster, t), CreateToken.class));
            if (existing.isPresent() && ServiceStatus.ACTIVE.equals(existing.get().status())) {
                if (token.isPresent() && token.get().fingerprint().equals(fingerprint)
                        && token.get().serviceArn().equals(ref.arn())) {
                    return existing.get();  // the same request again: answered as before
                }
                throw EcsErrors.invalidParameter("Creation of service was not idempotent.");
            }
            if (existing.isPresent() && ServiceStatus.DRAINING.equals(existing.get().status())) {
                throw EcsErrors.invalidParameter("Unable to Start a service that is still Draining.");
            }
            if (token.isPresent() && !token.get().serviceArn().equals(ref.arn())) {
                throw EcsErrors.invalidParameter("The clientToken was already used to create another service.");
            }
            Service.Builder b = Service.builder()
                    .serviceArn(ref.arn())
                    .serviceName(r.serviceName())
                    .clusterArn(scope.arnPrefix() + "cluster/" + cluster)
                    .loadBalancers(loadBalancers)
                    .roleArn(roleArn.orElse(null))
                    .serviceRegistries(List.of())
                    .status(ServiceStatus.ACTIVE)
                    .desiredCount(desired)
                    .runningCount(0)
                    .pendingCount(0)
                    .launchType(launch.launchType().orElse(null))
                    .capacityProviderStrategy(launch.strategy().isEmpty() ? null : launch.strategy())
                    .platformVersion(platformVersion.orElse(null))
                    .platformFamily(launch.fargate() ? FargateLaunch.PLATFORM_FAMILY : null)
                    .deploymentConfiguration(config)
                    .placementConstraints(constraints)
                    .placementStrategy(strategies)
                    .networkConfiguration(networkShown)
                    .healthCheckGracePeriodSeconds(grace.orElse(0))
                    .schedulingStrategy(strategy)
                    .deploymentController(new DeploymentController(controller))
                    .createdAt(now)
                    .createdBy(ctx.principal().arn())
                    .enableECSManagedTags(Boolean.TRUE.equals(r.enableECSManagedTags()))
                    .propagateTags(r.propagateTags() == null ? "NONE" : r.propagateTags())
                    .enableExecuteCommand(Boolean.TRUE.equals(r.enableExecuteCommand()))
                    .availabilityZoneRebalancing(r.availabilityZoneRebalancing() == null
                            ? defaultRebalancing(strategy, strategies) : r.availabilityZoneRebalancing())
                    .resourceManagementType("CUSTOMER")
                    .deployments(List.of())
                    .taskSets(ServiceStatus.EXTERNAL.equals(controller) ? List.of() : null);
            Service service = b.build();
            if (definition.isPresent()) {
                String deploymentId = DeploymentIds.next(now, List.of());
                Deployment primary = newDeployment(deploymentId, definition.get(), service, desired, now);
                service = service.toBuilder()
                        .taskDefinition(definition.get().taskDefinitionArn())
                        .deployments(List.of(primary))
                        .currentServiceDeployment(ServiceHistory.serviceDeploymentArn(ref, deploymentId))
                        .build();
                tx.put(ServiceHistory.revisionKey(ref, deploymentId),
                        ServiceHistory.revision(ref, service, deploymentId, definition.get(), now));
                tx.put(ServiceHistory.serviceDeploymentKey(ref, deploymentId),
                        ServiceHistory.deployment(ref, service, deploymentId, List.of(), now));
            }
            Services.write(tx, ref, service);
            tx.put(ref.eventsKey(), ServiceEventLog.empty());
            Tags.write(tx, scope, ref.arn(), tags);
            Optional.ofNullable(r.clientToken()).ifPresent(t -> tx.put(EcsKeys.createServiceToken(scope, cluster, t),
                    new CreateToken(fingerprint, ref.arn(), now)));
            return service;
        });
        return new CreateServiceResponse(withEventsAndTags(created, tags));
    }

    UpdateServiceResponse update(CallContext ctx, UpdateServiceRequest r) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, r.cluster());
        ServiceRules.checkUnsupported(null, r.serviceRegistries(), r.serviceConnectConfiguration(),
                r.volumeConfigurations(), r.vpcLatticeConfigurations(), null);
        boolean force = Boolean.TRUE.equals(r.forceNewDeployment());
        Optional<Integer> grace = ServiceRules.gracePeriod(r.healthCheckGracePeriodSeconds());
        Optional<TaskDefinition> newDefinition = Optional.ofNullable(r.taskDefinition())
                .map(ref -> TaskLaunches.activeDefinition(definitions, scope, ref));
        Instant now = clock.instant();
        Service updated = StoreTx.run(store, tx -> {
            Cluster clusterRecord = Clusters.requireActive(tx, scope, cluster);
            Service current = Services.require(tx, scope, cluster, r.service());
            if (!ServiceStatus.ACTIVE.equals(current.status())) {
                throw Services.notActive();
            }
            ServiceRef ref = Services.ref(scope, current);
            boolean external = Services.isExternal(current);
            boolean daemon = Services.isDaemon(current);
            if (r.deploymentController() != null && r.deploymentController().type() != null
                    && !r.deploymentController().type().equals(current.deploymentController().type())) {
                throw EcsErrors.invalidParameter("Stevedore cannot change the deployment controller of a service.");
            }
            if (external && (newDefinition.isPresent() || r.networkConfiguration() != null || force
                    || r.platformVersion() != null)) {
                throw EcsErrors.invalidParameter("A service that uses the EXTERNAL deployment controller changes its "
                        + "task definition and network configuration through task sets, not UpdateService.");
            }
            if (external && r.loadBalancers() != null && !r.loadBalancers().isEmpty()) {
                throw EcsErrors.of("UnsupportedFeatureException", "Stevedore does not register the tasks of task "
                        + "sets with load balancers yet; a service of the EXTERNAL controller cannot name "
                        + "loadBalancers.");
            }
            if (external && r.capacityProviderStrategy() != null && !r.capacityProviderStrategy().isEmpty()) {
                ServiceRules.launchType(null, r.capacityProviderStrategy());
            }
            ServiceLaunch before = ServiceLaunch.of(current);
            ServiceLaunch launch = r.capacityProviderStrategy() == null || external ? before
                    : before.updated(scope, clusterRecord, r.capacityProviderStrategy(), daemon);
            boolean launchChanged = !launch.equals(before);
            if (launchChanged && !force) {
                throw EcsErrors.invalidParameter("When switching from launch type to capacity provider strategy on an "
                        + "existing service, or making a change to a capacity provider strategy on a service that is "
                        + "already using one, you must force a new deployment.");
            }
            Optional<String> platformVersion = r.platformVersion() != null ? launch.platformVersion(r.platformVersion())
                    : launch.platformVersion(null).map(latest -> Optional.ofNullable(current.platformVersion())
                        .orElse(latest));
            Service.Builder next = current.toBuilder();
            int desired = Optional.ofNullable(current.desiredCount()).orElse(0);
            if (r.desiredCount() != null) {
                if (daemon) {
                    throw EcsErrors.invalidParameter("The daemon scheduling strategy does not support a desired count "
                            + "for services.");
                }
                desired = ServiceRules.checkDesiredCount(r.desiredCount());
                next.desiredCount(desired);
            }
            if (r.deploymentConfiguration() != null) {
                next.deploymentConfiguration(ServiceRules.deploymentConfiguration(
                        merge(current.deploymentConfiguration(), r.deploymentConfiguration()),
                        current.schedulingStrategy(), current.deploymentController().type()));
            }
            if (r.placementConstraints() != null) {
                next.placementConstraints(ServiceRules.placementConstraints(r.placementConstraints()));
            }
            if (r.placementStrategy() != null) {
                next.placementStrategy(ServiceRules.placementStrategy(r.placementStrategy(), current.schedulingStrategy()));
            }
            grace.ifPresent(next::healthCheckGracePeriodSeconds);
            Optional.ofNullable(r.propagateTags()).ifPresent(next::propagateTags);
            Optional.ofNullable(r.enableECSManagedTags()).ifPresent(next::enableECSManagedTags);
            Optional.ofNullable(r.enableExecuteCommand()).ifPresent(next::enableExecuteCommand);
            Optional.ofNullable(r.availabilityZoneRebalancing()).ifPresent(next::availabilityZoneRebalancing);
            TaskDefinition td = newDefinition.orElse(null);
            NetworkConfiguration network = r.networkConfiguration() != null ? r.networkConfiguration()
                    : current.networkConfiguration();
            if (!external) {
                TaskDefinition effective = td != null ? td : currentDefinition(scope, current);
                // A scaling or tagging update does not look the network up again: a subnet deleted since
                // shows when tasks start, as a failure to launch.
                boolean respecified = r.networkConfiguration() != null || td != null || launchChanged || force
                        || r.platformVersion() != null || r.placementConstraints() != null
                        || r.placementStrategy() != null;
                if (launch.fargate() && respecified) {
                    Service placed = next.build();
                    network = ServiceLaunch.checkFargate(vpcs, scope, effective, placed.placementConstraints(),
                            placed.placementStrategy(), network);
                } else if (!launch.fargate()) {
                    ServiceRules.checkNetwork(effective, network);
                    if (respecified) {
                        FargateLaunch.ec2Network(vpcs, scope, effective, network);
                    }
                }
                // The load balancers given, or the ones kept when the definition changes, must fit it.
                List<LoadBalancer> loadBalancers = Optional.ofNullable(current.loadBalancers()).orElse(List.of());
                if (r.loadBalancers() != null || td != null) {
                    loadBalancers = LoadBalancerRules.check(targets, scope,
                            r.loadBalancers() != null ? r.loadBalancers() : loadBalancers, effective);
                    next.loadBalancers(loadBalancers);
                }
                AdvancedConfigurationRules.checkStrategy(next.build().deploymentConfiguration(), loadBalancers);
                boolean lbChanged = !loadBalancers.equals(Optional.ofNullable(current.loadBalancers()).orElse(List.of()));
                if (lbChanged && loadBalancers.isEmpty()) {
                    next.roleArn(null);
                }
                boolean changed = (td != null && !td.taskDefinitionArn().equals(current.taskDefinition()))
                        || lbChanged
                        || !Objects.equals(network, current.networkConfiguration())
                        || !Objects.equals(platformVersion.orElse(null), current.platformVersion()) || launchChanged;
                next.networkConfiguration(network)
                        .launchType(launch.launchType().orElse(null))
                        .capacityProviderStrategy(launch.strategy().isEmpty() ? null : launch.strategy())
                        .platformVersion(platformVersion.orElse(null))
                        .platformFamily(launch.fargate() ? FargateLaunch.PLATFORM_FAMILY : null);
                if (changed || force) {
                    Service base = next.build();
                    return startDeployment(tx, ref, base, effective, now);
                }
                next.deployments(withPrimaryDesired(current, desired, now));
            }
            Service service = next.build();
            Services.write(tx, ref, service);
            return service;
        });
        return new UpdateServiceResponse(withEvents(updated));
    }

    DeleteServiceResponse delete(CallContext ctx, DeleteServiceRequest r) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, r.cluster());
        Instant now = clock.instant();
        Service deleted = StoreTx.run(store, tx -> {
            Clusters.requireActive(tx, scope, cluster);
            Service current = Services.require(tx, scope, cluster, r.service());
            if (!ServiceStatus.ACTIVE.equals(current.status())) {
                throw Services.notActive();
            }
            boolean replica = !Services.isDaemon(current);
            if (replica && Optional.ofNullable(current.desiredCount()).orElse(0) > 0 && !Boolean.TRUE.equals(r.force())) {
                throw EcsErrors.invalidParameter("The service cannot be stopped while it is scaled above 0.");
            }
            Service service = current.toBuilder()
                    .status(ServiceStatus.DRAINING)
                    .desiredCount(0)
                    .deployments(withPrimaryDesired(current, 0, now))
                    .build();
            Services.write(tx, Services.ref(scope, current), service);
            return service;
        });
        return new DeleteServiceResponse(withEvents(deleted));
    }

    /**
     * Adds a new PRIMARY deployment rolling out {@code td} and the service's current network
     * configuration; the old primary becomes ACTIVE and is scaled in by the controller as the new
     * one comes up. The new deployment starts at a desired count of 0, as in ECS's UpdateService
     * answer, and the controller raises it.
     */
    private Service startDeployment(StoreTx tx, ServiceRef ref, Service base, TaskDefinition td, Instant now) {
        List<Deployment> previous = Services.deployments(base);
        String id = DeploymentIds.next(now, previous.stream().map(Deployment::id).toList());
        List<Deployment> deployments = new ArrayList<>();
        deployments.add(newDeployment(id, td, base, 0, now));
        List<ServiceRevisionSummary> sources = new ArrayList<>();
        for (Deployment d : previous) {
            deployments.add(ServiceStatus.PRIMARY.equals(d.status())
                    ? d.toBuilder().status(ServiceStatus.DEPLOYMENT_ACTIVE).updatedAt(now).build() : d);
            sources.add(ServiceRevisionSummary.builder().arn(ServiceHistory.revisionArn(ref, d.id()))
                    .requestedTaskCount(d.desiredCount()).runningTaskCount(d.runningCount())
                    .pendingTaskCount(d.pendingCount()).build());
            supersede(tx, ref, d.id(), now);
        }
        Service service = base.toBuilder()
                .taskDefinition(td.taskDefinitionArn())
                .deployments(deployments)
                .currentServiceDeployment(ServiceHistory.serviceDeploymentArn(ref, id))
                .build();
        tx.put(ServiceHistory.revisionKey(ref, id), ServiceHistory.revision(ref, service, id, td, now));
        tx.put(ServiceHistory.serviceDeploymentKey(ref, id), ServiceHistory.deployment(ref, service, id, sources, now));
        Services.write(tx, ref, service);
        return service;
    }

    /** A deployment still rolling out when a newer one starts is stopped in the history. */
    private static void supersede(StoreTx tx, ServiceRef ref, String deploymentId, Instant now) {
        ServiceHistory.read(tx, ref, deploymentId).ifPresent(sd -> {
            if (ServiceHistory.PENDING.equals(sd.status()) || ServiceHistory.IN_PROGRESS.equals(sd.status())) {
                ServiceDeployment stopped = HookDetails.withWaitingHooksFailed(sd.toBuilder().status(ServiceHistory.STOPPED)
                        .statusReason("Superseded by a newer deployment of the service.")
                        .stoppedAt(now).updatedAt(now).build(), now);
                tx.put(ServiceHistory.serviceDeploymentKey(ref, deploymentId), stopped);
            }
        });
    }

    static Deployment newDeployment(String id, TaskDefinition td, Service service, int desired, Instant now) {
        return Services.withLaunchOf(Deployment.builder()
                .id(id)
                .status(ServiceStatus.PRIMARY)
                .taskDefinition(td.taskDefinitionArn())
                .desiredCount(desired)
                .pendingCount(0)
                .runningCount(0)
                .failedTasks(0)
                .createdAt(now)
                .updatedAt(now), service)
                .rolloutState(ServiceStatus.IN_PROGRESS)
                .rolloutStateReason(ServiceMessages.rolloutInProgress(id))
                .build();
    }

    /** The deployments with the primary's desired count set to the service's. */
    private static List<Deployment> withPrimaryDesired(Service service, int desired, Instant now) {
        List<Deployment> out = new ArrayList<>();
        for (Deployment d : Services.deployments(service)) {
            boolean primary = ServiceStatus.PRIMARY.equals(d.status());
            out.add(primary && !Integer.valueOf(desired).equals(d.desiredCount())
                    ? d.toBuilder().desiredCount(desired).updatedAt(now).build() : d);
        }
        return out;
    }

    private TaskDefinition currentDefinition(EcsScope scope, Service service) {
        return dev.stevedore.control.ecs.taskdef.TaskDefinitionRef.parse(scope, service.taskDefinition())
                .flatMap(ref -> definitions.find(scope, ref))
                .orElseThrow(() -> EcsErrors.client("Unable to describe task definition."));
    }

    /** Members given in an update replace the stored ones; the others are kept. */
    private static DeploymentConfiguration merge(DeploymentConfiguration current, DeploymentConfiguration given) {
        DeploymentConfiguration.Builder b = current == null ? DeploymentConfiguration.builder() : current.toBuilder();
        Optional.ofNullable(given.maximumPercent()).ifPresent(b::maximumPercent);
        Optional.ofNullable(given.minimumHealthyPercent()).ifPresent(b::minimumHealthyPercent);
        Optional.ofNullable(given.deploymentCircuitBreaker()).ifPresent(b::deploymentCircuitBreaker);
        Optional.ofNullable(given.alarms()).ifPresent(b::alarms);
        Optional.ofNullable(given.bakeTimeInMinutes()).ifPresent(b::bakeTimeInMinutes);
        Optional.ofNullable(given.strategy()).ifPresent(b::strategy);
        Optional.ofNullable(given.lifecycleHooks()).ifPresent(b::lifecycleHooks);
        Optional.ofNullable(given.linearConfiguration()).ifPresent(b::linearConfiguration);
        Optional.ofNullable(given.canaryConfiguration()).ifPresent(b::canaryConfiguration);
        if (given.strategy() != null && !given.strategy().equals(current == null ? null : current.strategy())) {
            // Settings of the strategy left behind do not carry over to a new one.
            if (given.linearConfiguration() == null) {
                b.linearConfiguration(null);
            }
            if (given.canaryConfiguration() == null) {
                b.canaryConfiguration(null);
            }
        }
        return b.build();
    }

    /**
     * ECS enables zone rebalancing by default on services it can rebalance: replica services
     * that do not binpack.
     */
    private static String defaultRebalancing(String strategy, List<dev.stevedore.model.ecs.PlacementStrategy> strategies) {
        boolean binpack = strategies.stream().anyMatch(s -> "binpack".equals(s.type()));
        return ServiceStatus.REPLICA.equals(strategy) && !binpack ? "ENABLED" : "DISABLED";
    }

    private Service withEvents(Service service) {
        ServiceRef ref = Services.ref(new EcsScope(accountOf(service), regionOf(service)), service);
        ServiceEventLog log = store.get(ref.eventsKey()).map(kv -> Records.decode(kv.value(), ServiceEventLog.class))
                .orElse(ServiceEventLog.empty());
        return service.toBuilder().events(log.events()).build();
    }

    private Service withEventsAndTags(Service service, List<Tag> tags) {
        Service s = withEvents(service);
        return tags.isEmpty() ? s : s.toBuilder().tags(tags).build();
    }

    private static String accountOf(Service s) {
        return s.serviceArn().split(":")[4];
    }

    private static String regionOf(Service s) {
        return s.serviceArn().split(":")[3];
    }

    private static String fingerprint(Object request) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Records.encode(request)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
