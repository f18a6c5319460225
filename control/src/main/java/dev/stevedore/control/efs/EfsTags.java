package dev.stevedore.control.efs;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.efs.ListTagsForResourceRequest;
import dev.stevedore.model.efs.ListTagsForResourceResponse;
import dev.stevedore.model.efs.Tag;
import dev.stevedore.model.efs.TagResourceRequest;
import dev.stevedore.model.efs.UntagResourceRequest;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** TagResource, UntagResource and ListTagsForResource on file systems and access points, and EFS's tag rules. */
final class EfsTags {
    static final int MAX_TAGS = 50;
    private static final int DEFAULT_MAX_RESULTS = 100;

    private final StateStore store;

    EfsTags(StateStore store) {
        this.store = store;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "TagResource", Operations.typed(TagResourceRequest.class, this::tag),
                "UntagResource", Operations.typed(UntagResourceRequest.class, this::untag),
                "ListTagsForResource", Operations.typed(ListTagsForResourceRequest.class, this::list));
    }

    /** Tags as a resource may hold them: no {@code aws:} keys, no key twice, at most 50. */
    static List<Tag> checked(List<Tag> tags) {
        Set<String> keys = new HashSet<>();
        for (Tag tag : tags) {
            if (tag.key().startsWith("aws:")) {
                throw EfsErrors.badRequest("Tag keys starting with 'aws:' are reserved for AWS use.");
            }
            if (!keys.add(tag.key())) {
                throw EfsErrors.badRequest("Tag key '" + tag.key() + "' is given more than once.");
            }
        }
        if (tags.size() > MAX_TAGS) {
            throw EfsErrors.badRequest("A resource can have at most " + MAX_TAGS + " tags.");
        }
        return tags;
    }

    Object tag(CallContext ctx, TagResourceRequest r) {
        change(ctx, r.resourceId(), current -> {
            Map<String, String> merged = new LinkedHashMap<>();
            current.forEach(t -> merged.put(t.key(), t.value()));
            checked(r.tags()).forEach(t -> merged.put(t.key(), t.value()));
            List<Tag> result = new ArrayList<>();
            merged.forEach((k, v) -> result.add(new Tag(k, v)));
            return checked(result);
        });
        return null;
    }

    Object untag(CallContext ctx, UntagResourceRequest r) {
        change(ctx, r.resourceId(), current ->
                current.stream().filter(t -> !r.tagKeys().contains(t.key())).toList());
        return null;
    }

    ListTagsForResourceResponse list(CallContext ctx, ListTagsForResourceRequest r) {
        List<Tag> tags = StoreTx.run(store, tx -> tagsOf(tx, EfsScope.of(ctx), r.resourceId()));
        Pages.Page<Tag> page = Pages.page(tags, Tag::key, r.nextToken(), r.maxResults(), DEFAULT_MAX_RESULTS);
        return new ListTagsForResourceResponse(page.nextOrNull(), page.items());
    }

    private void change(CallContext ctx, String resourceId, UnaryOperator<List<Tag>> change) {
        EfsScope scope = EfsScope.of(ctx);
        StoreTx.run(store, tx -> {
            if (isAccessPoint(resourceId)) {
                String id = EfsIds.accessPointId(resourceId);
                StoredAccessPoint ap = tx.read(scope.accessPoint(id), StoredAccessPoint.class)
                        .orElseThrow(() -> EfsErrors.accessPointNotFound(id));
                tx.put(scope.accessPoint(id), ap.withTags(change.apply(ap.tags())));
            } else {
                String id = EfsIds.fileSystemId(resourceId);
                StoredFileSystem fs = FileSystemStore.existing(tx, scope, id);
                tx.put(scope.fileSystem(id), fs.withTags(change.apply(fs.tags())));
            }
            return null;
        });
    }

    private static List<Tag> tagsOf(StoreTx tx, EfsScope scope, String resourceId) {
        if (isAccessPoint(resourceId)) {
            String id = EfsIds.accessPointId(resourceId);
            return tx.read(scope.accessPoint(id), StoredAccessPoint.class)
                    .orElseThrow(() -> EfsErrors.accessPointNotFound(id)).tags();
        }
        return FileSystemStore.existing(tx, scope, EfsIds.fileSystemId(resourceId)).tags();
    }

    static boolean isAccessPoint(String resourceId) {
        return resourceId.startsWith("fsap-") || resourceId.contains(":access-point/");
    }
}
