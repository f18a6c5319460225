package dev.stevedore.control.ecs.taskdef;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.Pagination;
import dev.stevedore.control.ecs.tags.Tags;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.DeleteTaskDefinitionsRequest;
import dev.stevedore.model.ecs.DeleteTaskDefinitionsResponse;
import dev.stevedore.model.ecs.DeregisterTaskDefinitionRequest;
import dev.stevedore.model.ecs.DeregisterTaskDefinitionResponse;
import dev.stevedore.model.ecs.DescribeTaskDefinitionRequest;
import dev.stevedore.model.ecs.DescribeTaskDefinitionResponse;
import dev.stevedore.model.ecs.Failure;
import dev.stevedore.model.ecs.ListTaskDefinitionFamiliesRequest;
import dev.stevedore.model.ecs.ListTaskDefinitionFamiliesResponse;
import dev.stevedore.model.ecs.ListTaskDefinitionsRequest;
import dev.stevedore.model.ecs.ListTaskDefinitionsResponse;
import dev.stevedore.model.ecs.RegisterTaskDefinitionRequest;
import dev.stevedore.model.ecs.RegisterTaskDefinitionResponse;
import dev.stevedore.model.ecs.SortOrder;
import dev.stevedore.model.ecs.Tag;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.TaskDefinitionFamilyStatus;
import dev.stevedore.model.ecs.TaskDefinitionField;
import dev.stevedore.model.ecs.TaskDefinitionStatus;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The task definition operations: register revisions of a family, describe, list, deregister and
 * delete them.
 */
public final class TaskDefinitionOperations {
    /** ECS's limit on the size of one task definition. */
    static final int MAX_DEFINITION_BYTES = 64 * 1024;
    static final int MAX_REVISIONS_PER_FAMILY = 1_000_000;

    private final StateStore store;
    private final Clock clock;

    public TaskDefinitionOperations(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "RegisterTaskDefinition", Operations.typed(RegisterTaskDefinitionRequest.class, this::register),
                "DescribeTaskDefinition", Operations.typed(DescribeTaskDefinitionRequest.class, this::describe),
                "ListTaskDefinitions", Operations.typed(ListTaskDefinitionsRequest.class, this::list),
                "ListTaskDefinitionFamilies",
                Operations.typed(ListTaskDefinitionFamiliesRequest.class, this::listFamilies),
                "DeregisterTaskDefinition", Operations.typed(DeregisterTaskDefinitionRequest.class, this::deregister),
                "DeleteTaskDefinitions", Operations.typed(DeleteTaskDefinitionsRequest.class, this::delete));
    }

    /** The family's latest ACTIVE revision, or the exact revision named; empty when there is none. */
    public Optional<TaskDefinition> find(EcsScope scope, TaskDefinitionRef ref) {
        if (ref.revision().isPresent()) {
            return store.get(EcsKeys.taskDefinition(scope, ref.family(), ref.revision().getAsInt()))
                    .map(kv -> Records.decode(kv.value(), TaskDefinition.class));
        }
        List<KeyValue> revisions = store.range(EcsKeys.taskDefinitionFamily(scope, ref.family()));
        for (int i = revisions.size() - 1; i >= 0; i--) {
            TaskDefinition td = Records.decode(revisions.get(i).value(), TaskDefinition.class);
            if (TaskDefinitionStatus.ACTIVE.equals(td.status())) {
                return Optional.of(td);
            }
        }
        return Optional.empty();
    }

    RegisterTaskDefinitionResponse register(CallContext ctx, RegisterTaskDefinitionRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        TaskDefinition normalized;
        try {
            normalized = TaskDefinitionValidator.validate(request);
        } catch (InvalidTaskDefinitionException e) {
            throw EcsErrors.of(e.errorCode(), e.getMessage());
        }
        List<Tag> tags = Tags.checkNew(request.tags());
        int size = Records.encode(normalized).length;
        if (size > MAX_DEFINITION_BYTES) {
            throw EcsErrors.client("Task definition size of " + size + " bytes exceeds the limit of "
                    + MAX_DEFINITION_BYTES + " bytes.");
        }
        String family = normalized.family();
        TaskDefinition registered = StoreTx.runSerialized(store, EcsKeys.familyCounter(scope, family), tx -> {
            int last = tx.read(EcsKeys.familyCounter(scope, family), FamilyCounter.class)
                    .map(FamilyCounter::lastRevision).orElse(0);
            if (last >= MAX_REVISIONS_PER_FAMILY) {
                throw EcsErrors.limitExceeded("The family " + family + " has reached its limit of "
                        + MAX_REVISIONS_PER_FAMILY + " revisions.");
            }
            int revision = last + 1;
            TaskDefinition td = normalized.toBuilder()
                    .taskDefinitionArn(Arns.taskDefinition(scope, family, revision))
                    .revision(revision)
                    .status(TaskDefinitionStatus.ACTIVE)
                    .registeredAt(clock.instant())
                    .registeredBy(ctx.principal().arn())
                    .build();
            tx.put(EcsKeys.familyCounter(scope, family), new FamilyCounter(revision));
            tx.put(EcsKeys.taskDefinition(scope, family, revision), td);
            Tags.write(tx, scope, td.taskDefinitionArn(), tags);
            return td;
        });
        return new RegisterTaskDefinitionResponse(tags.isEmpty() ? null : tags, registered);
    }

    DescribeTaskDefinitionResponse describe(CallContext ctx, DescribeTaskDefinitionRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        TaskDefinition td = TaskDefinitionRef.parse(scope, request.taskDefinition())
                .flatMap(ref -> find(scope, ref))
                .orElseThrow(() -> EcsErrors.client("Unable to describe task definition."));
        boolean withTags = request.include() != null && request.include().contains(TaskDefinitionField.TAGS);
        List<Tag> tags = withTags ? StoreTx.run(store, tx -> Tags.read(tx, scope, td.taskDefinitionArn())) : null;
        return new DescribeTaskDefinitionResponse(tags, td);
    }

    ListTaskDefinitionsResponse list(CallContext ctx, ListTaskDefinitionsRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        int size = Pagination.pageSize(request.maxResults(), 1, 100, 100);
        String status = Optional.ofNullable(request.status()).orElse(TaskDefinitionStatus.ACTIVE);
        boolean descending = SortOrder.DESC.equals(request.sort());
        String prefix = EcsKeys.taskDefinitions(scope) + Optional.ofNullable(request.familyPrefix()).orElse("");
        List<Listed> matching = new ArrayList<>();
        for (KeyValue kv : store.range(prefix)) {
            TaskDefinition td = Records.decode(kv.value(), TaskDefinition.class);
            if (status.equals(td.status())) {
                matching.add(new Listed(kv.key(), td.taskDefinitionArn()));
            }
        }
        if (descending) {
            java.util.Collections.reverse(matching);
        }
        String fingerprint = "ListTaskDefinitions|" + request.familyPrefix() + "|" + status + "|" + descending;
        Pagination.Page<Listed> page = Pagination.page(matching, Listed::key, request.nextToken(), size,
                fingerprint, descending);
        return new ListTaskDefinitionsResponse(page.nextToken().orElse(null),
                page.items().stream().map(Listed::arn).toList());
    }

    ListTaskDefinitionFamiliesResponse listFamilies(CallContext ctx, ListTaskDefinitionFamiliesRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        int size = Pagination.pageSize(request.maxResults(), 1, 100, 100);
        String status = Optional.ofNullable(request.status()).orElse(TaskDefinitionFamilyStatus.ALL);
        String prefix = EcsKeys.taskDefinitions(scope) + Optional.ofNullable(request.familyPrefix()).orElse("");
        Map<String, Boolean> familyHasActive = new LinkedHashMap<>();
        for (KeyValue kv : store.range(prefix)) {
            TaskDefinition td = Records.decode(kv.value(), TaskDefinition.class);
            familyHasActive.merge(td.family(), TaskDefinitionStatus.ACTIVE.equals(td.status()), Boolean::logicalOr);
        }
        List<String> families = familyHasActive.entrySet().stream()
                .filter(e -> switch (status) {
                    case TaskDefinitionFamilyStatus.ACTIVE -> e.getValue();
                    case TaskDefinitionFamilyStatus.INACTIVE -> !e.getValue();
                    default -> true;
                })
                .map(Map.Entry::getKey)
                .toList();
        String fingerprint = "ListTaskDefinitionFamilies|" + request.familyPrefix() + "|" + status;
        Pagination.Page<String> page = Pagination.page(families, f -> f, request.nextToken(), size, fingerprint,
                false);
        return new ListTaskDefinitionFamiliesResponse(page.items(), page.nextToken().orElse(null));
    }

    DeregisterTaskDefinitionResponse deregister(CallContext ctx, DeregisterTaskDefinitionRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        TaskDefinitionRef ref = TaskDefinitionRef.parse(scope, request.taskDefinition())
                .filter(r -> r.revision().isPresent())
                .orElseThrow(() -> EcsErrors.client("Invalid revision number. Specify the task definition as "
                        + "family:revision or its full ARN."));
        String key = EcsKeys.taskDefinition(scope, ref.family(), ref.revision().getAsInt());
        TaskDefinition result = StoreTx.run(store, tx -> {
            TaskDefinition td = tx.read(key, TaskDefinition.class)
                    .orElseThrow(() -> EcsErrors.client("The specified task definition does not exist."));
            if (!TaskDefinitionStatus.ACTIVE.equals(td.status())) {
                return td;
            }
            TaskDefinition inactive = td.toBuilder()
                    .status(TaskDefinitionStatus.INACTIVE)
                    .deregisteredAt(clock.instant())
                    .build();
            tx.put(key, inactive);
            return inactive;
        });
        return new DeregisterTaskDefinitionResponse(result);
    }

    DeleteTaskDefinitionsResponse delete(CallContext ctx, DeleteTaskDefinitionsRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        if (request.taskDefinitions().isEmpty() || request.taskDefinitions().size() > 10) {
            throw EcsErrors.invalidParameter("You must specify between 1 and 10 task definitions.");
        }
        return StoreTx.run(store, tx -> {
            List<TaskDefinition> deleted = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String text : request.taskDefinitions()) {
                Optional<TaskDefinitionRef> ref = TaskDefinitionRef.parse(scope, text)
                        .filter(r -> r.revision().isPresent());
                if (ref.isEmpty()) {
                    failures.add(failure(text, "The specified task definition identifier is invalid. Specify a "
                            + "family and revision (family:revision) or the full ARN."));
                    continue;
                }
                String key = EcsKeys.taskDefinition(scope, ref.get().family(), ref.get().revision().getAsInt());
                Optional<TaskDefinition> td = tx.read(key, TaskDefinition.class);
                if (td.isEmpty()) {
                    failures.add(failure(text, "The specified task definition does not exist."));
                } else if (TaskDefinitionStatus.ACTIVE.equals(td.get().status())) {
                    failures.add(failure(td.get().taskDefinitionArn(), "The specified task definition is still in "
                            + "ACTIVE status. Please deregister the target and try again."));
                } else {
                    TaskDefinition deleting = td.get().toBuilder()
                            .status(TaskDefinitionStatus.DELETE_IN_PROGRESS)
                            .deleteRequestedAt(Optional.ofNullable(td.get().deleteRequestedAt())
                                    .orElse(clock.instant()))
                            .build();
                    tx.put(key, deleting);
                    deleted.add(deleting);
                }
            }
            return new DeleteTaskDefinitionsResponse(failures, deleted);
        });
    }

    private static Failure failure(String arn, String reason) {
        return Failure.builder().arn(arn).reason(reason).build();
    }

    /** The last revision number a family ever gave out. */
    record FamilyCounter(int lastRevision) {
    }

    private record Listed(String key, String arn) {
    }
}
