package dev.stevedore.control.ec2.tags;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ec2.Ec2Errors;
import dev.stevedore.control.ec2.Ec2Records;
import dev.stevedore.control.ec2.query.Filters;
import dev.stevedore.control.ec2.query.Paging;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ec2.CreateTagsRequest;
import dev.stevedore.model.ec2.DeleteTagsRequest;
import dev.stevedore.model.ec2.DescribeTagsRequest;
import dev.stevedore.model.ec2.DescribeTagsResult;
import dev.stevedore.model.ec2.Tag;
import dev.stevedore.model.ec2.TagDescription;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** CreateTags, DeleteTags and DescribeTags over VPCs, subnets, security groups and network interfaces. */
public final class TagOperations {
    private static final Filters<TagDescription> FILTERS = Filters.<TagDescription>untagged()
            .on("resource-id", TagDescription::resourceId)
            .on("resource-type", TagDescription::resourceType)
            .on("key", TagDescription::key)
            .on("value", TagDescription::value)
            .build();

    private final StateStore store;

    public TagOperations(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateTags", Operations.typed(CreateTagsRequest.class, (ctx, r) -> {
                    if (r.tags() == null || r.tags().isEmpty()) {
                        throw Ec2Errors.missingParameter("Tags");
                    }
                    return change(ctx, r.resources(), existing -> TagRules.merge(existing, r.tags()));
                }),
                "DeleteTags", Operations.typed(DeleteTagsRequest.class,
                        (ctx, r) -> change(ctx, r.resources(), existing -> TagRules.remove(existing, r.tags()))),
                "DescribeTags", Operations.typed(DescribeTagsRequest.class, this::describe));
    }

    /** Changes the tags of every named resource in one transaction: all of them, or none when one fails. */
    private Object change(CallContext ctx, List<String> resources, UnaryOperator<List<Tag>> edit) {
        EcsScope scope = EcsScope.of(ctx);
        if (resources == null || resources.isEmpty()) {
            throw Ec2Errors.missingParameter("resourceIdSet");
        }
        List<Taggable<?>> kinds = resources.stream().<Taggable<?>>map(Taggable::of).toList();
        StoreTx.run(store, tx -> {
            for (int i = 0; i < resources.size(); i++) {
                retag(tx, scope, kinds.get(i), resources.get(i), edit);
            }
            return null;
        });
        return null;
    }

    private static <T> void retag(StoreTx tx, EcsScope scope, Taggable<T> kind, String id, UnaryOperator<List<Tag>> edit) {
        String key = kind.key(scope, id);
        T record = tx.read(key, kind.recordType()).orElseThrow(() -> kind.notFound().apply(id));
        tx.put(key, kind.withTags().apply(record, TagRules.orAbsent(edit.apply(kind.tagsOf(record)))));
    }

    DescribeTagsResult describe(CallContext ctx, DescribeTagsRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        var filter = FILTERS.compile(request.filters());
        List<TagDescription> all = new ArrayList<>();
        Taggable.ALL.forEach(kind -> all.addAll(descriptions(scope, kind)));
        List<TagDescription> matching = all.stream()
                .filter(filter)
                .sorted(Comparator.comparing(TagOperations::position))
                .toList();
        Paging.Page<TagDescription> page = Paging.page(matching, TagOperations::position, "DescribeTags", request.filters(),
                request.maxResults(), request.nextToken(), Paging.Bounds.DESCRIBE);
        return new DescribeTagsResult(page.nextTokenOrNull(), page.items());
    }

    private <T> List<TagDescription> descriptions(EcsScope scope, Taggable<T> kind) {
        return Ec2Records.all(store, kind.prefix().apply(scope), kind.recordType()).stream()
                .flatMap(record -> kind.tagsOf(record).stream()
                        .map(tag -> new TagDescription(tag.key(), kind.id().apply(record), kind.resourceType(), tag.value())))
                .toList();
    }

    /** A tag's place in DescribeTags' order: by resource id, then key. */
    private static String position(TagDescription t) {
        return t.resourceId() + "\u0000" + t.key();
    }
}
