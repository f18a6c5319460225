package dev.stevedore.control.iam.tags;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.iam.Entities;
import dev.stevedore.control.iam.EntityKind;
import dev.stevedore.control.iam.IamCall;
import dev.stevedore.control.iam.IamEntity;
import dev.stevedore.control.iam.query.Listing;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.iam.ListRoleTagsRequest;
import dev.stevedore.model.iam.ListRoleTagsResponse;
import dev.stevedore.model.iam.ListUserTagsRequest;
import dev.stevedore.model.iam.ListUserTagsResponse;
import dev.stevedore.model.iam.Tag;
import dev.stevedore.model.iam.TagRoleRequest;
import dev.stevedore.model.iam.TagUserRequest;
import dev.stevedore.model.iam.UntagRoleRequest;
import dev.stevedore.model.iam.UntagUserRequest;
import dev.stevedore.store.StateStore;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** TagUser, UntagUser, ListUserTags and the same for roles. */
public final class TagOperations {
    private final StateStore store;

    public TagOperations(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "TagUser", Operations.typed(TagUserRequest.class, (ctx, r) -> tag(ctx, EntityKind.USER, r.userName(), r.tags())),
                "UntagUser", Operations.typed(UntagUserRequest.class, (ctx, r) -> untag(ctx, EntityKind.USER, r.userName(), r.tagKeys())),
                "ListUserTags", Operations.typed(ListUserTagsRequest.class, (ctx, r) -> {
                    Listing.Page<Tag> page = list(ctx, EntityKind.USER, r.userName(), r.marker(), r.maxItems());
                    return new ListUserTagsResponse(page.isTruncated(), page.markerOrNull(), page.items());
                }),
                "TagRole", Operations.typed(TagRoleRequest.class, (ctx, r) -> tag(ctx, EntityKind.ROLE, r.roleName(), r.tags())),
                "UntagRole", Operations.typed(UntagRoleRequest.class, (ctx, r) -> untag(ctx, EntityKind.ROLE, r.roleName(), r.tagKeys())),
                "ListRoleTags", Operations.typed(ListRoleTagsRequest.class, (ctx, r) -> {
                    Listing.Page<Tag> page = list(ctx, EntityKind.ROLE, r.roleName(), r.marker(), r.maxItems());
                    return new ListRoleTagsResponse(page.isTruncated(), page.markerOrNull(), page.items());
                }));
    }

    private Object tag(CallContext ctx, EntityKind kind, String name, List<Tag> tags) {
        String account = IamCall.account(ctx);
        StoreTx.run(store, tx -> {
            IamEntity entity = Entities.require(tx, account, kind, name);
            Entities.put(tx, account, entity.withTags(Tags.merged(entity.tagList(), tags, kind)));
            return null;
        });
        return null;
    }

    private Object untag(CallContext ctx, EntityKind kind, String name, List<String> keys) {
        String account = IamCall.account(ctx);
        StoreTx.run(store, tx -> {
            IamEntity entity = Entities.require(tx, account, kind, name);
            Entities.put(tx, account, entity.withTags(Tags.without(entity.tagList(), keys)));
            return null;
        });
        return null;
    }

    private Listing.Page<Tag> list(CallContext ctx, EntityKind kind, String name, String marker, Integer maxItems) {
        String account = IamCall.account(ctx);
        IamEntity entity = Entities.read(store, account, kind, name);
        // Listed by key, so a marker stays good while tags come and go.
        List<Tag> tags = entity.tagList().stream().sorted(Comparator.comparing(Tags::sortKey)).toList();
        return Listing.page(tags, Tags::sortKey, marker, maxItems);
    }
}
