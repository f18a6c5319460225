package dev.stevedore.control.ecs.taskset;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.cluster.Clusters;
import dev.stevedore.control.ecs.service.DeploymentIds;
import dev.stevedore.control.ecs.service.ServiceArns;
import dev.stevedore.control.ecs.service.ServiceRef;
import dev.stevedore.control.ecs.service.ServiceRules;
import dev.stevedore.control.ecs.service.ServiceStatus;
import dev.stevedore.control.ecs.service.Services;
import dev.stevedore.control.ecs.service.rollout.TaskSetPlan;
import dev.stevedore.control.ecs.tags.Tags;
import dev.stevedore.control.ecs.task.TaskLaunches;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionOperations;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.CreateTaskSetRequest;
import dev.stevedore.model.ecs.CreateTaskSetResponse;
import dev.stevedore.model.ecs.DeleteTaskSetRequest;
import dev.stevedore.model.ecs.DeleteTaskSetResponse;
import dev.stevedore.model.ecs.Scale;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.StabilityStatus;
import dev.stevedore.model.ecs.Tag;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.TaskSet;
import dev.stevedore.model.ecs.UpdateServicePrimaryTaskSetRequest;
import dev.stevedore.model.ecs.UpdateServicePrimaryTaskSetResponse;
import dev.stevedore.model.ecs.UpdateTaskSetRequest;
import dev.stevedore.model.ecs.UpdateTaskSetResponse;
import dev.stevedore.store.StateStore;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CreateTaskSet, UpdateTaskSet, UpdateServicePrimaryTaskSet and DeleteTaskSet: the writes of the
 * EXTERNAL deployment controller. A task set lives in its service's record ({@code taskSets}); these
 * calls record what is wanted (a set, its scale, which set is primary, a set draining) and the
 * service controller starts and stops the tasks and keeps the sets' counts and stability.
 */
public final class TaskSetOperations {
    private final StateStore store;
    private final Clock clock;
    private final TaskDefinitionOperations definitions;

    public TaskSetOperations(StateStore store, Clock clock, TaskDefinitionOperations definitions) {
        this.store = store;
        this.clock = clock;
        this.definitions = definitions;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateTaskSet", Operations.typed(CreateTaskSetRequest.class, this::create),
                "UpdateTaskSet", Operations.typed(UpdateTaskSetRequest.class, this::update),
                "UpdateServicePrimaryTaskSet",
                Operations.typed(UpdateServicePrimaryTaskSetRequest.class, this::updatePrimary),
                "DeleteTaskSet", Operations.typed(DeleteTaskSetRequest.class, this::delete));
    }

    /** A CreateTaskSet clientToken already answered: the request it answered and the set it made. */
    record CreateToken(String fingerprint, String taskSetId, Instant createdAt) {
    }

    CreateTaskSetResponse create(CallContext ctx, CreateTaskSetRequest r) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, r.cluster());
        String launchType = ServiceRules.launchType(r.launchType(), r.capacityProviderStrategy());
        ServiceRules.checkUnsupported(r.loadBalancers(), r.serviceRegistries(), null, null, null, r.platformVersion());
        Scale scale = TaskSetRules.scale(r.scale());
        if (r.taskDefinition().isEmpty()) {
            throw EcsErrors.invalidParameter("Family should not be null or empty.");
        }
        TaskDefinition td = TaskLaunches.activeDefinition(definitions, scope, r.taskDefinition());
        ServiceRules.checkNetwork(td, r.networkConfiguration());
        List<Tag> tags = Tags.checkNew(r.tags());
        String fingerprint = fingerprint(r.toBuilder().clientToken(null).build());
        Instant now = clock.instant();
        TaskSet created = StoreTx.run(store, tx -> {
            Service service = TaskSetRules.service(tx, scope, cluster, r.service(), true);
            ServiceRef ref = Services.ref(scope, service);
            Optional<String> tokenKey = Optional.ofNullable(r.clientToken())
                    .map(t -> EcsKeys.createTaskSetToken(scope, cluster, ref.name(), t));
            Optional<CreateToken> token = tokenKey.flatMap(k -> tx.read(k, CreateToken.class));
            if (token.isPresent()) {
                if (!token.get().fingerprint().equals(fingerprint)) {
                    throw EcsErrors.invalidParameter("The clientToken was already used to create another task set.");
                }
                Optional<TaskSet> same = TaskSetRules.find(service, token.get().taskSetId());
                if (same.isPresent()) {
                    return same.get();  // the same request again: answered as before
                }
            }
            List<TaskSet> sets = Services.taskSets(service);
            if (sets.size() >= TaskSetRules.MAX_PER_SERVICE) {
                throw EcsErrors.invalidParameter(TaskSetRules.MAX_PER_SERVICE + " deployments exist on the service. "
                        + "Unable to create new TaskSet since this exceeds the maximum limit.");
            }
            String id = DeploymentIds.next(now, sets.stream().map(TaskSet::id).toList());
            TaskSet set = TaskSet.builder()
                    .id(id)
                    .taskSetArn(ServiceArns.taskSet(scope, ref.cluster(), ref.name(), id))
                    .serviceArn(service.serviceArn())
                    .clusterArn(service.clusterArn())
                    .externalId(r.externalId())
                    .status(ServiceStatus.DEPLOYMENT_ACTIVE)
                    .taskDefinition(td.taskDefinitionArn())
                    .computedDesiredCount(TaskSetPlan.computedDesiredCount(
                            Optional.ofNullable(service.desiredCount()).orElse(0), scale))
                    .pendingCount(0)
                    .runningCount(0)
                    .createdAt(now)
                    .updatedAt(now)
                    .launchType(launchType)
                    .networkConfiguration(r.networkConfiguration())
                    .loadBalancers(List.of())
                    .serviceRegistries(List.of())
                    .scale(scale)
                    .stabilityStatus(StabilityStatus.STABILIZING)
                    .stabilityStatusAt(now)
                    .build();
            List<TaskSet> withNew = new ArrayList<>();
            withNew.add(set);
            withNew.addAll(sets);
            Services.write(tx, ref, service.toBuilder().taskSets(withNew).build());
            Tags.write(tx, scope, set.taskSetArn(), tags);
            tokenKey.ifPresent(k -> tx.put(k, new CreateToken(fingerprint, id, now)));
            return set;
        });
        return new CreateTaskSetResponse(tags.isEmpty() ? created : created.toBuilder().tags(tags).build());
    }

    /** A new scale; the set stabilizes towards its new computed count. */
    UpdateTaskSetResponse update(CallContext ctx, UpdateTaskSetRequest r) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, r.cluster());
        Scale scale = TaskSetRules.scale(r.scale());
        Instant now = clock.instant();
        TaskSet updated = StoreTx.run(store, tx -> {
            Service service = TaskSetRules.service(tx, scope, cluster, r.service(), true);
            TaskSet set = TaskSetRules.require(service, r.taskSet());
            if (TaskSetRules.isDraining(set)) {
                throw EcsErrors.invalidParameter("The task set is being deleted and cannot be updated.");
            }
            TaskSet next = stabilizing(set.toBuilder()
                    .scale(scale)
                    .computedDesiredCount(TaskSetPlan.target(service, set.toBuilder().scale(scale).build()))
                    .updatedAt(now)
                    .build(), now);
            Services.write(tx, Services.ref(scope, service),
                    service.toBuilder().taskSets(TaskSetRules.replace(service, next)).build());
            return next;
        });
        return new UpdateTaskSetResponse(updated);
    }

    /**
     * The named set becomes PRIMARY and the one that was becomes ACTIVE; the service's task
     * definition, launch type, network configuration and the like now describe the primary set.
     */
    UpdateServicePrimaryTaskSetResponse updatePrimary(CallContext ctx, UpdateServicePrimaryTaskSetRequest r) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, r.cluster());
        Instant now = clock.instant();
        TaskSet primary = StoreTx.run(store, tx -> {
            Service service = TaskSetRules.service(tx, scope, cluster, r.service(), true);
            TaskSet set = TaskSetRules.require(service, r.primaryTaskSet());
            if (TaskSetRules.isDraining(set)) {
                throw EcsErrors.invalidParameter("The task set is being deleted and cannot become the primary task "
                        + "set.");
            }
            if (ServiceStatus.PRIMARY.equals(set.status())) {
                return set;
            }
            TaskSet promoted = set.toBuilder().status(ServiceStatus.PRIMARY).updatedAt(now).build();
            List<TaskSet> sets = new ArrayList<>();
            for (TaskSet s : Services.taskSets(service)) {
                if (s.id().equals(set.id())) {
                    sets.add(promoted);
                } else if (ServiceStatus.PRIMARY.equals(s.status())) {
                    sets.add(s.toBuilder().status(ServiceStatus.DEPLOYMENT_ACTIVE).updatedAt(now).build());
                } else {
                    sets.add(s);
                }
            }
            Service next = service.toBuilder()
                    .taskSets(sets)
                    .taskDefinition(promoted.taskDefinition())
                    .launchType(promoted.launchType())
                    .capacityProviderStrategy(promoted.capacityProviderStrategy())
                    .platformVersion(promoted.platformVersion())
                    .platformFamily(promoted.platformFamily())
                    .networkConfiguration(promoted.networkConfiguration())
                    .loadBalancers(promoted.loadBalancers())
                    .serviceRegistries(promoted.serviceRegistries())
                    .build();
            Services.write(tx, Services.ref(scope, service), next);
            return promoted;
        });
        return new UpdateServicePrimaryTaskSetResponse(primary);
    }

    /**
     * The set starts DRAINING with a computed count of 0; the controller stops its tasks and removes
     * it once none is left. The primary set, or one still scaled above 0, needs {@code force}.
     */
    DeleteTaskSetResponse delete(CallContext ctx, DeleteTaskSetRequest r) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, r.cluster());
        boolean force = Boolean.TRUE.equals(r.force());
        Instant now = clock.instant();
        TaskSet deleted = StoreTx.run(store, tx -> {
            Service service = TaskSetRules.service(tx, scope, cluster, r.service(), true);
            TaskSet set = TaskSetRules.require(service, r.taskSet());
            if (TaskSetRules.isDraining(set)) {
                return set;  // already being deleted
            }
            boolean primary = ServiceStatus.PRIMARY.equals(set.status());
            if (primary && !force) {
                throw EcsErrors.invalidParameter("The task set cannot be deleted while it is the primary task set of "
                        + "the service.");
            }
            if (set.scale() != null && set.scale().value() != null && set.scale().value() > 0 && !force) {
                throw EcsErrors.invalidParameter("The task set cannot be deleted while it is scaled above 0.");
            }
            TaskSet draining = stabilizing(set.toBuilder()
                    .status(ServiceStatus.DRAINING)
                    .computedDesiredCount(0)
                    .updatedAt(now)
                    .build(), now);
            Service.Builder next = service.toBuilder().taskSets(TaskSetRules.replace(service, draining));
            if (primary) {
                // Without a primary set the service describes no task set's configuration.
                next.taskDefinition(null).networkConfiguration(null).loadBalancers(List.of())
                        .serviceRegistries(List.of()).platformVersion(null).platformFamily(null);
            }
            Services.write(tx, Services.ref(scope, service), next.build());
            return draining;
        });
        return new DeleteTaskSetResponse(deleted);
    }

    /** A set whose wanted count just changed is STABILIZING, as ECS answers UpdateTaskSet and DeleteTaskSet. */
    private static TaskSet stabilizing(TaskSet set, Instant now) {
        return StabilityStatus.STABILIZING.equals(set.stabilityStatus()) ? set
                : set.toBuilder().stabilityStatus(StabilityStatus.STABILIZING).stabilityStatusAt(now).build();
    }

    private static String fingerprint(Object request) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Records.encode(request)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
