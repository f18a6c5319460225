package dev.stevedore.control.secretsmanager;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.secretsmanager.Tag;
import dev.stevedore.model.secretsmanager.TagResourceRequest;
import dev.stevedore.model.secretsmanager.UntagResourceRequest;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** TagResource and UntagResource, and the tag merge CreateSecret shares. */
final class SecretTags {
    private final StateStore store;
    private final Clock clock;

    SecretTags(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "TagResource", Operations.typed(TagResourceRequest.class, this::tag),
                "UntagResource", Operations.typed(UntagResourceRequest.class, this::untag));
    }

    Object tag(CallContext ctx, TagResourceRequest request) {
        SecretsScope scope = SecretsScope.of(ctx);
        StoreTx.run(store, tx -> {
            SecretRecord secret = SecretOperations.live(tx, scope, request.secretId(), clock);
            tx.put(scope.secretKey(secret.name()), secret.withTags(merge(secret.tags(), request.tags()), clock.instant()));
            return null;
        });
        return null;
    }

    Object untag(CallContext ctx, UntagResourceRequest request) {
        SecretsScope scope = SecretsScope.of(ctx);
        StoreTx.run(store, tx -> {
            SecretRecord secret = SecretOperations.live(tx, scope, request.secretId(), clock);
            List<Tag> kept = secret.tags().stream().filter(t -> !request.tagKeys().contains(t.key())).toList();
            tx.put(scope.secretKey(secret.name()), secret.withTags(kept, clock.instant()));
            return null;
        });
        return null;
    }

    /** {@code existing} with {@code added} on top: a key given again takes the new value. */
    static List<Tag> merge(List<Tag> existing, List<Tag> added) {
        List<Tag> out = new ArrayList<>(existing);
        for (Tag tag : Optional.ofNullable(added).orElse(List.of())) {
            if (tag.key() == null) {
                throw SecretsManagerErrors.invalidParameter("Tag keys must not be empty.");
            }
            out.removeIf(t -> t.key().equals(tag.key()));
            out.add(new Tag(tag.key(), Optional.ofNullable(tag.value()).orElse("")));
        }
        return out;
    }
}
