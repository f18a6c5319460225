package dev.stevedore.control.ecs.task;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.cluster.Clusters;
import dev.stevedore.control.ecs.instance.ContainerInstances;
import dev.stevedore.control.ecs.instance.InstanceSnapshots;
import dev.stevedore.control.ecs.instance.TaskReservation;
import dev.stevedore.control.ecs.tags.Tags;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionOperations;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.ContainerInstance;
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
import dev.stevedore.model.ecs.TaskStopCode;
import dev.stevedore.scheduler.FitCheck;
import dev.stevedore.scheduler.Placement;
import dev.stevedore.scheduler.PlacementFailure;
import dev.stevedore.scheduler.PlacementPlan;
import dev.stevedore.scheduler.Scheduler;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RunTask, StartTask and StopTask: the writes that start and stop tasks. Placing a task and taking
 * its resources from the instance happen in one transaction, conditional on every instance read.
 */
public final class TaskOperations {
    private final StateStore store;
    private final Clock clock;
    private final TaskDefinitionOperations definitions;
    private final TaskIndex index;

    public TaskOperations(StateStore store, Clock clock, TaskDefinitionOperations definitions) {
        this.store = store;
        this.clock = clock;
        this.definitions = definitions;
        this.index = new TaskIndex(store);
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
        checkLaunchType(request);
        int count = Optional.ofNullable(request.count()).orElse(1);
        if (count < 1 || count > 10) {
            throw EcsErrors.invalidParameter("count must be between 1 and 10.");
        }
        TaskDefinition td = Launches.activeDefinition(definitions, scope, request.taskDefinition());
        TaskFactory.Launch launch = Launches.launch(cluster, td, request.overrides(), request.group(),
                request.startedBy(), request.tags(), request.propagateTags(), definitionTags(scope, td),
                request.enableExecuteCommand());
        TaskReservation reservation = TaskReservation.of(td, request.overrides());
        Optional<String> token = Optional.ofNullable(request.clientToken());
        String fingerprint = fingerprint(request);
        return StoreTx.run(store, tx -> {
            Clusters.requireActive(tx, scope, cluster);
            if (token.isPresent()) {
                Optional<RunTaskToken> seen = tx.read(EcsKeys.runTaskToken(scope, cluster, token.get()), RunTaskToken.class);
                if (seen.isPresent()) {
                    return replay(tx, scope, cluster, seen.get(), fingerprint);
                }
            }
            TaskPlacement.Planned planned = TaskPlacement.plan(tx, scope, cluster, index, ctx.requestId(), td,
                    reservation, count, launch.group(), request.placementConstraints(), request.placementStrategy());
            PlacementPlan plan = planned.plan();
            List<Task> tasks = new ArrayList<>();
            java.util.Set<String> touched = new java.util.HashSet<>();
            for (Placement p : plan.placements()) {
                // The plan was made on an unconditional scan; the instance read here is a condition of
                // the commit, and must still be the one planned on, or the plan is stale.
                if (touched.add(p.instanceArn())) {
                    Optional<ContainerInstance> current = ContainerInstances.read(tx, scope, cluster, p.instanceArn());
                    if (current.isEmpty() || !current.get().version().equals(planned.versions().get(p.instanceArn()))) {
                        tx.retry();
                    }
                }
                tasks.add(place(tx, scope, cluster, p.instanceArn(), launch, reservation));
            }
            List<Failure> failures = new ArrayList<>();
            for (PlacementFailure f : plan.failures()) {
                failures.add(Failure.builder().arn(f.arn()).reason(f.reason()).detail(f.detail()).build());
            }
            token.ifPresent(t -> tx.put(EcsKeys.runTaskToken(scope, cluster, t), new RunTaskToken(fingerprint,
                    tasks.stream().map(Task::taskArn).toList(), failures, clock.instant())));
            return new RunTaskResponse(failures, tasks);
        });
    }

    StartTaskResponse start(CallContext ctx, StartTaskRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, request.cluster());
        if (request.containerInstances().isEmpty() || request.containerInstances().size() > 10) {
            throw EcsErrors.invalidParameter("containerInstances must name between 1 and 10 container instances.");
        }
        TaskDefinition td = Launches.activeDefinition(definitions, scope, request.taskDefinition());
        TaskFactory.Launch launch = Launches.launch(cluster, td, request.overrides(), request.group(),
                request.startedBy(), request.tags(), request.propagateTags(), definitionTags(scope, td),
                request.enableExecuteCommand());
        TaskReservation reservation = TaskReservation.of(td, request.overrides());
        return StoreTx.run(store, tx -> {
            Clusters.requireActive(tx, scope, cluster);
            List<Task> tasks = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String ref : request.containerInstances()) {
                Optional<ContainerInstance> instance = ContainerInstances.read(tx, scope, cluster, ref);
                String arn = ref.startsWith("arn:") ? ref : Arns.containerInstance(scope, cluster, ref);
                if (instance.isEmpty()) {
                    failures.add(Failure.builder().arn(arn).reason("MISSING").build());
                    continue;
                }
                FitCheck fit = Scheduler.fits(InstanceSnapshots.toState(instance.get(), Map.of()),
                        TaskPlacement.requirements(td, reservation));
                if (fit.failureReason().isPresent()) {
                    failures.add(Failure.builder().arn(instance.get().containerInstanceArn())
                            .reason(fit.failureReason().get()).build());
                    continue;
                }
                tasks.add(place(tx, scope, cluster, instance.get().containerInstanceArn(), launch, reservation));
            }
            return new StartTaskResponse(failures, tasks);
        });
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
            Task next = task.toBuilder()
                    .desiredStatus(TaskStatus.STOPPED)
                    .stopCode(TaskStopCode.USER_INITIATED)
                    .stoppedReason(reason)
                    .stoppingAt(clock.instant())
                    .version(task.version() + 1)
                    .build();
            Tasks.write(tx, scope, cluster, next);
            return next;
        });
        return new StopTaskResponse(stopped);
    }

    /** Creates one task on an instance, taking its reservation, within the caller's transaction. */
    private Task place(StoreTx tx, EcsScope scope, String cluster, String instanceArn, TaskFactory.Launch launch,
                       TaskReservation reservation) {
        ContainerInstance instance = ContainerInstances.read(tx, scope, cluster, instanceArn)
                .orElseThrow(() -> new IllegalStateException("placed on a missing instance " + instanceArn));
        ContainerInstances.write(tx, scope, ContainerInstances.take(instance, reservation));
        Task task = TaskFactory.newTask(scope, launch, instance, clock.instant());
        Tasks.write(tx, scope, cluster, task.toBuilder().tags(null).build());
        if (task.tags() != null) {
            Tags.write(tx, scope, task.taskArn(), task.tags());
        }
        return task;
    }

    private RunTaskResponse replay(StoreTx tx, EcsScope scope, String cluster, RunTaskToken seen, String fingerprint) {
        if (!seen.fingerprint().equals(fingerprint)) {
            throw new AwsException("ConflictException", 400, "The clientToken was already used by a RunTask "
                    + "request with different parameters.", Map.of("resourceIds", seen.taskArns()));
        }
        List<Task> tasks = new ArrayList<>();
        for (String arn : seen.taskArns()) {
            Tasks.read(tx, scope, cluster, arn).ifPresent(tasks::add);
        }
        return new RunTaskResponse(seen.failures(), tasks);
    }

    private List<Tag> definitionTags(EcsScope scope, TaskDefinition td) {
        return StoreTx.run(store, tx -> Tags.read(tx, scope, td.taskDefinitionArn()));
    }

    private static void checkLaunchType(RunTaskRequest request) {
        String launchType = request.launchType();
        boolean strategy = request.capacityProviderStrategy() != null && !request.capacityProviderStrategy().isEmpty();
        if (launchType != null && strategy) {
            throw EcsErrors.invalidParameter("Specify either a launchType or a capacityProviderStrategy, not both.");
        }
        if (strategy || (launchType != null && !"EC2".equals(launchType))) {
            throw EcsErrors.of("UnsupportedFeatureException", "Stevedore runs tasks with the EC2 launch type only "
                    + "so far; " + (strategy ? "capacity provider strategies" : launchType) + " is not supported yet.");
        }
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
