package dev.stevedore.control.ssm;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ssm.AddTagsToResourceRequest;
import dev.stevedore.model.ssm.ListTagsForResourceRequest;
import dev.stevedore.model.ssm.ListTagsForResourceResult;
import dev.stevedore.model.ssm.RemoveTagsFromResourceRequest;
import dev.stevedore.model.ssm.ResourceTypeForTagging;
import dev.stevedore.model.ssm.Tag;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * AddTagsToResource, RemoveTagsFromResource and ListTagsForResource for parameters, the one resource
 * type of SSM's tagging that Stevedore has; the resource id of a parameter is its name.
 */
final class ParameterTags {
    static final int MAX_TAGS = 50;

    private final StateStore store;
    private final ParameterReads reads;

    ParameterTags(StateStore store) {
        this.store = store;
        this.reads = new ParameterReads(store);
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "AddTagsToResource", Operations.typed(AddTagsToResourceRequest.class, (ctx, r) -> {
                    retag(ctx, r.resourceType(), r.resourceId(), tags -> merge(tags, r.tags()));
                    return null;
                }),
                "RemoveTagsFromResource", Operations.typed(RemoveTagsFromResourceRequest.class, (ctx, r) -> {
                    List<String> keys = r.tagKeys() == null ? List.of() : r.tagKeys();
                    retag(ctx, r.resourceType(), r.resourceId(),
                            tags -> tags.stream().filter(t -> !keys.contains(t.key())).toList());
                    return null;
                }),
                "ListTagsForResource", Operations.typed(ListTagsForResourceRequest.class, this::list));
    }

    static void checkCount(List<Tag> tags) {
        if (tags.size() > MAX_TAGS) {
            throw SsmErrors.tooManyTags();
        }
    }

    private static List<Tag> merge(List<Tag> existing, List<Tag> added) {
        Map<String, Tag> byKey = new LinkedHashMap<>();
        existing.forEach(t -> byKey.put(t.key(), t));
        added.forEach(t -> byKey.put(t.key(), t));
        return new ArrayList<>(byKey.values());
    }

    private void retag(CallContext ctx, String resourceType, String name, UnaryOperator<List<Tag>> edit) {
        requireParameterType(resourceType);
        SsmScope scope = SsmScope.of(ctx);
        StoreTx.run(store, tx -> {
            StoredParameter parameter = tx.read(scope.key(name), StoredParameter.class)
                    .orElseThrow(SsmErrors::invalidResourceId);
            List<Tag> tags = edit.apply(parameter.tags());
            checkCount(tags);
            tx.put(scope.key(name), parameter.withTags(tags));
            return null;
        });
    }

    private ListTagsForResourceResult list(CallContext ctx, ListTagsForResourceRequest r) {
        requireParameterType(r.resourceType());
        StoredParameter parameter = reads.find(SsmScope.of(ctx), r.resourceId()).orElseThrow(SsmErrors::invalidResourceId);
        return new ListTagsForResourceResult(parameter.tags());
    }

    private static void requireParameterType(String resourceType) {
        if (!ResourceTypeForTagging.PARAMETER.equals(resourceType)) {
            throw SsmErrors.invalidResourceType();
        }
    }
}
