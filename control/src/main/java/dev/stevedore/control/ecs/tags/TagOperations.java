package dev.stevedore.control.ecs.tags;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Cluster;
import dev.stevedore.model.ecs.ListTagsForResourceRequest;
import dev.stevedore.model.ecs.ListTagsForResourceResponse;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.TagResourceRequest;
import dev.stevedore.model.ecs.TagResourceResponse;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.UntagResourceRequest;
import dev.stevedore.model.ecs.UntagResourceResponse;
import dev.stevedore.store.StateStore;

import java.util.Map;

/**
 * TagResource, UntagResource and ListTagsForResource over every taggable ECS resource.
 */
public final class TagOperations {
    private final StateStore store;

    public TagOperations(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "TagResource", Operations.typed(TagResourceRequest.class, this::tag),
                "UntagResource", Operations.typed(UntagResourceRequest.class, this::untag),
                "ListTagsForResource", Operations.typed(ListTagsForResourceRequest.class, this::list));
    }

    TagResourceResponse tag(CallContext ctx, TagResourceRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        StoreTx.run(store, tx -> {
            requireResource(tx, scope, request.resourceArn());
            return Tags.add(tx, scope, request.resourceArn(), request.tags());
        });
        return new TagResourceResponse();
    }

    UntagResourceResponse untag(CallContext ctx, UntagResourceRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        StoreTx.run(store, tx -> {
            requireResource(tx, scope, request.resourceArn());
            Tags.remove(tx, scope, request.resourceArn(), request.tagKeys());
            return null;
        });
        return new UntagResourceResponse();
    }

    ListTagsForResourceResponse list(CallContext ctx, ListTagsForResourceRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        return StoreTx.run(store, tx -> {
            requireResource(tx, scope, request.resourceArn());
            return new ListTagsForResourceResponse(Tags.read(tx, scope, request.resourceArn()));
        });
    }

    /**
     * Fails unless the ARN names an existing resource of this account and Region. Reading the resource
     * inside the transaction also makes a tag write conditional on the resource still being there.
     */
    private static void requireResource(StoreTx tx, EcsScope scope, String resourceArn) {
        Arns.Arn arn = Arns.parse(resourceArn)
                .filter(a -> "ecs".equals(a.service()))
                .orElseThrow(() -> EcsErrors.invalidParameter("The ARN provided is invalid."));
        if (!arn.isIn(scope)) {
            throw EcsErrors.invalidParameter("The ARN provided is invalid: it is not in this account and Region.");
        }
        boolean exists = switch (arn.resourceType()) {
            case "cluster" -> tx.read(EcsKeys.cluster(scope, arn.resourceId()), Cluster.class)
                    .filter(c -> "ACTIVE".equals(c.status()))
                    .isPresent();
            case "task-definition" -> dev.stevedore.control.ecs.taskdef.TaskDefinitionRef.parse(scope, resourceArn)
                    .filter(ref -> ref.revision().isPresent())
                    .flatMap(ref -> tx.read(EcsKeys.taskDefinition(scope, ref.family(), ref.revision().getAsInt()),
                            TaskDefinition.class))
                    .filter(td -> !"DELETE_IN_PROGRESS".equals(td.status()))
                    .isPresent();
            case "task", "service", "container-instance" -> existsInCluster(tx, scope, arn);
            case "task-set" -> taskSetExists(tx, scope, arn, resourceArn);
            default -> false;
        };
        if (!exists) {
            if (arn.resourceType().equals("cluster")) {
                throw EcsErrors.clusterNotFound();
            }
            throw EcsErrors.resourceNotFound("The specified resource could not be found.");
        }
    }

    /** Tasks, services and container instances have ARNs of the form {@code type/cluster/id}. */
    private static boolean existsInCluster(StoreTx tx, EcsScope scope, Arns.Arn arn) {
        String[] parts = arn.resourceId().split("/", 2);
        if (parts.length != 2) {
            return false;
        }
        String prefix = switch (arn.resourceType()) {
            case "task" -> EcsKeys.tasks(scope, parts[0]);
            case "service" -> EcsKeys.services(scope, parts[0]);
            default -> EcsKeys.containerInstances(scope, parts[0]);
        };
        return tx.read(prefix + parts[1], Object.class).isPresent();
    }

    /** Task sets ({@code task-set/cluster/service/ecs-svc/N}) live in their service's record. */
    private static boolean taskSetExists(StoreTx tx, EcsScope scope, Arns.Arn arn, String resourceArn) {
        String[] parts = arn.resourceId().split("/", 3);
        if (parts.length != 3 || !Arns.NAME.matcher(parts[0]).matches() || !Arns.NAME.matcher(parts[1]).matches()) {
            return false;
        }
        return tx.read(EcsKeys.service(scope, parts[0], parts[1]), Service.class)
                .filter(s -> s.taskSets() != null)
                .filter(s -> s.taskSets().stream().anyMatch(ts -> resourceArn.equals(ts.taskSetArn())))
                .isPresent();
    }
}
