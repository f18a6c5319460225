package dev.stevedore.control.ecr;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecr.ListTagsForResourceRequest;
import dev.stevedore.model.ecr.ListTagsForResourceResponse;
import dev.stevedore.model.ecr.Tag;
import dev.stevedore.model.ecr.TagResourceRequest;
import dev.stevedore.model.ecr.UntagResourceRequest;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** TagResource, UntagResource and ListTagsForResource on a repository's ARN; the checks CreateRepository shares. */
final class RepositoryTags {
    private static final int MAX_TAGS = 50;

    private final StateStore store;

    RepositoryTags(StateStore store) {
        this.store = store;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "TagResource", Operations.typed(TagResourceRequest.class, this::tag),
                "UntagResource", Operations.typed(UntagResourceRequest.class, this::untag),
                "ListTagsForResource", Operations.typed(ListTagsForResourceRequest.class, this::list));
    }

    Object tag(CallContext ctx, TagResourceRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = repositoryOf(scope, request.resourceArn());
        StoreTx.run(store, tx -> {
            RepositoryRecord repository = ImageLedger.repository(tx, scope, name);
            List<Tag> merged = new ArrayList<>(repository.tags());
            for (Tag tag : checked(request.tags())) {
                merged.removeIf(t -> t.key().equals(tag.key()));
                merged.add(tag);
            }
            if (merged.size() > MAX_TAGS) {
                throw EcrErrors.invalidTagParameter("A resource can have at most " + MAX_TAGS + " tags.");
            }
            tx.put(scope.repositoryKey(name), repository.withTags(merged));
            return null;
        });
        return null;
    }

    Object untag(CallContext ctx, UntagResourceRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = repositoryOf(scope, request.resourceArn());
        StoreTx.run(store, tx -> {
            RepositoryRecord repository = ImageLedger.repository(tx, scope, name);
            tx.put(scope.repositoryKey(name), repository.withTags(repository.tags().stream()
                    .filter(t -> !request.tagKeys().contains(t.key())).toList()));
            return null;
        });
        return null;
    }

    ListTagsForResourceResponse list(CallContext ctx, ListTagsForResourceRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = repositoryOf(scope, request.resourceArn());
        return new ListTagsForResourceResponse(StoreTx.run(store, tx -> ImageLedger.repository(tx, scope, name).tags()));
    }

    /** The repository an ARN of this account and Region names; any other ARN is ECR's InvalidParameterException. */
    static String repositoryOf(EcrScope scope, String arn) {
        String prefix = scope.repositoryArn("");
        if (!arn.startsWith(prefix) || arn.length() == prefix.length()) {
            throw EcrErrors.invalidParameter("Invalid parameter at 'resourceArn' failed to satisfy constraint:"
                    + " 'Invalid ARN'");
        }
        return arn.substring(prefix.length());
    }

    /** Tags as given, each with a key; at most 50 and no key twice. */
    static List<Tag> checked(List<Tag> given) {
        List<Tag> tags = Optional.ofNullable(given).orElse(List.of());
        Set<String> keys = new HashSet<>();
        for (Tag tag : tags) {
            if (tag.key() == null || tag.value() == null) {
                throw EcrErrors.invalidParameter("Invalid parameter at 'tags' failed to satisfy constraint:"
                        + " 'Tag key and value must not be null'");
            }
            if (!keys.add(tag.key())) {
                throw EcrErrors.invalidTagParameter("Tag keys must be unique; '" + tag.key() + "' is given twice.");
            }
        }
        if (tags.size() > MAX_TAGS) {
            throw EcrErrors.invalidTagParameter("A resource can have at most " + MAX_TAGS + " tags.");
        }
        return tags;
    }
}
