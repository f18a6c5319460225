package dev.stevedore.control.ecs.task;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ec2.VpcDirectory;
import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.cluster.Clusters;
import dev.stevedore.control.ecs.fargate.FargateLaunch;
import dev.stevedore.control.ecs.fargate.PlatformPool;
import dev.stevedore.control.ecs.placement.TaskNetwork;
import dev.stevedore.model.ecs.Cluster;
import dev.stevedore.control.ecs.instance.TaskReservation;
import dev.stevedore.control.ecs.placement.PlacementJob;
import dev.stevedore.control.ecs.placement.PlacementOutcome;
import dev.stevedore.control.ecs.placement.PlacementQueue;
import dev.stevedore.control.ecs.placement.PlanApplier;
import dev.stevedore.control.ecs.tags.Tags;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionOperations;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.elb.ServiceTargets;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Failure;
import dev.stevedore.model.ecs.RunTaskRequest;
import dev.stevedore.model.ecs.RunTaskResponse;
import dev.stevedore.model.ecs.StartTaskRequest;
import dev.stevedore.model.ecs.StartTaskResponse;
import dev.stevedore.model.ecs.StopTaskRequest;
import dev.stevedore.model.ecs.StopTaskResponse;
import dev.stevedore.model.ecs.Tag;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.TaskOverride;
import dev.stevedore.model.ecs.TaskStopCode;
import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RunTask, StartTask and StopTask: the writes that start and stop tasks. Placements go through the
 * single {@link PlanApplier}, which creates the tasks and takes their resources in one commit.
 */
public final class TaskOperations {
    private final StateStore store;
    private final Clock clock;
    private final TaskDefinitionOperations definitions;
    private final PlacementQueue applier;
    private final VpcDirectory vpcs;
    private final TaskRoleTrust roleTrust;
    private final ServiceTargets targets;

    public TaskOperations(StateStore store, Clock clock, TaskDefinitionOperations definitions, PlacementQueue applier,
                          TaskRoleTrust roleTrust, ServiceTargets targets) {
        this.targets = targets;
        this.store = store;
        this.roleTrust = roleTrust;
        this.vpcs = new VpcDirectory(store);
        this.clock = clock;
        this.definitions = definitions;
        this.applier = applier;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "RunTask", Operations.typed(RunTaskRequest.class, this::run),
                "StartTask", Operations.typed(StartTaskRequest.class, this::start),
                "StopTask", Operations.typed(StopTaskRequest.class, this::stop));
    }

    RunTaskResponse run(CallContext ctx, RunTaskRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, request.cluster());
        Cluster clusterRecord = StoreTx.run(store, tx -> Clusters.requireActive(tx, scope, cluster));
        FargateLaunch.Choice choice = FargateLaunch.choose(scope, clusterRecord, request.launchType(),
                request.capacityProviderStrategy());
        int count = Optional.ofNullable(request.count()).orElse(1);
        if (count < 1 || count > 10) {
            throw EcsErrors.invalidParameter("count must be between 1 and 10.");
        }
        Prepared p = prepare(scope, cluster, request.taskDefinition(), request.overrides(), request.group(),
                request.startedBy(), request.tags(), request.propagateTags(), request.enableExecuteCommand());
        TaskFactory.Launch launch = p.launch();
        TaskReservation reservation = p.reservation();
        Optional<TaskNetwork> network;
        String placementCluster;
        PlacementJob.TaskMaker maker;
        if (choice instanceof FargateLaunch.Choice.Fargate fargate) {
            FargateLaunch.checkRequest(p.definition(), request.placementConstraints(), request.placementStrategy());
            String platformVersion = FargateLaunch.platformVersion(request.platformVersion());
            network = FargateLaunch.network(vpcs, scope, p.definition(), request.networkConfiguration());
            placementCluster = PlatformPool.CLUSTER;
            List<String> providers = fargate.providers(count);
            maker = (host, index) -> TaskFactory.newFargateTask(scope, launch, host, clock.instant(), platformVersion,
                    providers.get(index));
        } else {
            if (request.platformVersion() != null) {
                throw EcsErrors.invalidParameter("The platform version must be null when specifying an EC2 launch type.");
            }
            network = FargateLaunch.ec2Network(vpcs, scope, p.definition(), request.networkConfiguration());
            placementCluster = cluster;
            maker = (instance, index) -> TaskFactory.newTask(scope, launch, instance, clock.instant());
        }
        PlacementRequest placement = TaskPlacement.request(ctx.requestId(), p.definition(), reservation, count,
                launch.group(), request.placementConstraints(), request.placementStrategy(), network);
        Optional<String> tokenKey = Optional.ofNullable(request.clientToken())
                .map(t -> EcsKeys.runTaskToken(scope, cluster, t));
        String fingerprint = fingerprint(request);
        if (tokenKey.isPresent()) {
            Optional<RunTaskToken> seen = readToken(tokenKey.get());
            if (seen.isPresent()) {
                return replay(scope, cluster, seen.get(), fingerprint);
            }
        }
        PlacementJob job = new PlacementJob(scope, cluster, placement, List.of(), reservation, maker, tokenKey,
                (tasks, failures, writes) -> {
                    writeTags(scope, launch, tasks, writes);
                    tokenKey.ifPresent(key -> writes.put(key, new RunTaskToken(fingerprint,
                            tasks.stream().map(Task::taskArn).toList(), failures, clock.instant())));
                }, placementCluster, network);
        PlacementOutcome outcome = await(applier.submitAfterCatchingUp(job));
        if (outcome instanceof PlacementOutcome.Placed placed) {
            return new RunTaskResponse(placed.failures(), withTags(placed.tasks(), launch));
        }
        // A concurrent call with the same token got there first.
        return replay(scope, cluster, readToken(tokenKey.orElseThrow()).orElseThrow(), fingerprint);
    }

    StartTaskResponse start(CallContext ctx, StartTaskRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, request.cluster());
        if (request.containerInstances().isEmpty() || request.containerInstances().size() > 10) {
            throw EcsErrors.invalidParameter("containerInstances must name between 1 and 10 container instances.");
        }
        Prepared p = prepare(scope, cluster, request.taskDefinition(), request.overrides(), request.group(),
                request.startedBy(), request.tags(), request.propagateTags(), request.enableExecuteCommand());
        TaskFactory.Launch launch = p.launch();
        TaskReservation reservation = p.reservation();
        List<String> instanceArns = new ArrayList<>();
        for (String ref : request.containerInstances()) {
            instanceArns.add(Arns.idInCluster(scope, "container-instance", cluster, ref)
                    .map(id -> Arns.containerInstance(scope, cluster, id))
                    .orElse(ref));
        }
        Optional<TaskNetwork> network = FargateLaunch.ec2Network(vpcs, scope, p.definition(),
                request.networkConfiguration());
        PlacementRequest placement = TaskPlacement.request(ctx.requestId(), p.definition(), reservation, 1,
                launch.group(), List.of(), List.of(), network);
        PlacementJob job = new PlacementJob(scope, cluster, placement, instanceArns, reservation,
                (instance, index) -> TaskFactory.newTask(scope, launch, instance, clock.instant()), Optional.empty(),
                (tasks, failures, writes) -> writeTags(scope, launch, tasks, writes), cluster, network);
        PlacementOutcome.Placed placed = (PlacementOutcome.Placed) await(applier.submitAfterCatchingUp(job));
        return new StartTaskResponse(placed.failures(), withTags(placed.tasks(), launch));
    }

    StopTaskResponse stop(CallContext ctx, StopTaskRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, request.cluster());
        String reason = Optional.ofNullable(request.reason()).filter(r -> !r.isBlank()).orElse("Task stopped by user");
        Task stopped = StoreTx.run(store, tx -> {
            Clusters.requireActive(tx, scope, cluster);
            Task task = Tasks.read(tx, scope, cluster, request.task())
                    .orElseThrow(() -> EcsErrors.invalidParameter("The referenced task was not found."));
            if (TaskStatus.STOPPED.equals(task.desiredStatus())) {
                return task;
            }
            // A service's task behind a load balancer leaves its target groups first, as ECS stops it.
            Optional<TaskTargets> registered = TaskTargets.read(tx, scope, cluster, task);
            if (TaskTargets.mustDeactivate(task, registered)) {
                return TaskTargets.deactivate(tx, targets, scope, cluster, task, registered.get(),
                        TaskStopCode.USER_INITIATED, reason, clock.instant());
            }
            Task next = Tasks.stopRequested(task, TaskStopCode.USER_INITIATED, reason, clock.instant());
            Tasks.write(tx, scope, cluster, next);
            return next;
        });
        return new StopTaskResponse(Tasks.answered(stopped));
    }

    private RunTaskResponse replay(EcsScope scope, String cluster, RunTaskToken seen, String fingerprint) {
        if (!seen.fingerprint().equals(fingerprint)) {
            throw new AwsException("ConflictException", 400, "The clientToken was already used by a RunTask "
                    + "request with different parameters.", Map.of("resourceIds", seen.taskArns()));
        }
        return StoreTx.run(store, tx -> {
            List<Task> tasks = new ArrayList<>();
            for (String arn : seen.taskArns()) {
                Tasks.read(tx, scope, cluster, arn).map(Tasks::answered).ifPresent(tasks::add);
            }
            return new RunTaskResponse(seen.failures(), tasks);
        });
    }

    /** What RunTask and StartTask check and derive alike before anything is placed. */
    private record Prepared(TaskDefinition definition, TaskFactory.Launch launch, TaskReservation reservation) {
    }

    private Prepared prepare(EcsScope scope, String cluster, String taskDefinition, TaskOverride overrides,
                             String group, String startedBy, List<Tag> tags, String propagateTags,
                             Boolean enableExecuteCommand) {
        requireActiveCluster(scope, cluster);
        TaskDefinition td = Launches.activeDefinition(definitions, scope, taskDefinition);
        TaskFactory.Launch launch = Launches.launch(cluster, td, overrides, group, startedBy, tags, propagateTags,
                definitionTags(scope, td), enableExecuteCommand);
        roleTrust.requireAssumable(scope, td, overrides);
        return new Prepared(td, launch, TaskReservation.of(td, overrides));
    }

    private Optional<RunTaskToken> readToken(String key) {
        return store.get(key).map(kv -> Records.decode(kv.value(), RunTaskToken.class));
    }

    private void requireActiveCluster(EcsScope scope, String cluster) {
        StoreTx.run(store, tx -> Clusters.requireActive(tx, scope, cluster));
    }

    /** Tags live in the tag records, not in the task record, like every other resource's. */
    private static void writeTags(EcsScope scope, TaskFactory.Launch launch, List<Task> tasks,
                                  PlacementJob.Writes writes) {
        if (launch.tags().isEmpty()) {
            return;
        }
        for (Task t : tasks) {
            writes.put(EcsKeys.tags(scope, t.taskArn()), new Tags.TagSet(launch.tags()));
        }
    }

    /** The tasks as RunTask and StartTask answer them: with their tags, an empty list when none. */
    private static List<Task> withTags(List<Task> tasks, TaskFactory.Launch launch) {
        return tasks.stream().map(t -> Tasks.answered(t.toBuilder().tags(launch.tags()).build())).toList();
    }

    private static PlacementOutcome await(java.util.concurrent.CompletableFuture<PlacementOutcome> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private List<Tag> definitionTags(EcsScope scope, TaskDefinition td) {
        return StoreTx.run(store, tx -> Tags.read(tx, scope, td.taskDefinitionArn()));
    }

    /** What makes two RunTask calls "the same request" for clientToken purposes: all but the token. */
    private static String fingerprint(RunTaskRequest request) {
        byte[] json = Records.encode(request.toBuilder().clientToken(null).build());
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(json));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A RunTask clientToken already answered: the request it answered and what it answered. */
    record RunTaskToken(String fingerprint, List<String> taskArns, List<Failure> failures,
                        java.time.Instant createdAt) {
    }
}
