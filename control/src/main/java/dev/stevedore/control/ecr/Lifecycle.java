package dev.stevedore.control.ecr;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecr.DeleteLifecyclePolicyRequest;
import dev.stevedore.model.ecr.DeleteLifecyclePolicyResponse;
import dev.stevedore.model.ecr.GetLifecyclePolicyPreviewRequest;
import dev.stevedore.model.ecr.GetLifecyclePolicyPreviewResponse;
import dev.stevedore.model.ecr.GetLifecyclePolicyRequest;
import dev.stevedore.model.ecr.GetLifecyclePolicyResponse;
import dev.stevedore.model.ecr.LifecyclePolicyPreviewResult;
import dev.stevedore.model.ecr.LifecyclePolicyPreviewSummary;
import dev.stevedore.model.ecr.LifecyclePolicyRuleAction;
import dev.stevedore.model.ecr.PutLifecyclePolicyRequest;
import dev.stevedore.model.ecr.PutLifecyclePolicyResponse;
import dev.stevedore.model.ecr.StartLifecyclePolicyPreviewRequest;
import dev.stevedore.model.ecr.StartLifecyclePolicyPreviewResponse;
import dev.stevedore.store.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Put/Get/DeleteLifecyclePolicy, Start/GetLifecyclePolicyPreview, and the policy applied: when it is put,
 * after every push into its repository, and by the periodic {@link #sweep} (images age into a
 * {@code sinceImagePushed} rule without anyone pushing). ECR applies policies within a day; here the
 * expiry is done at once, so a preview and the images left agree.
 */
final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final StateStore store;
    private final Clock clock;
    private final ImageDeletion deletion;

    Lifecycle(StateStore store, Clock clock, ImageDeletion deletion) {
        this.store = store;
        this.clock = clock;
        this.deletion = deletion;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "PutLifecyclePolicy", Operations.typed(PutLifecyclePolicyRequest.class, this::put),
                "GetLifecyclePolicy", Operations.typed(GetLifecyclePolicyRequest.class, this::get),
                "DeleteLifecyclePolicy", Operations.typed(DeleteLifecyclePolicyRequest.class, this::delete),
                "StartLifecyclePolicyPreview", Operations.typed(StartLifecyclePolicyPreviewRequest.class, this::startPreview),
                "GetLifecyclePolicyPreview", Operations.typed(GetLifecyclePolicyPreviewRequest.class, this::getPreview));
    }

    PutLifecyclePolicyResponse put(CallContext ctx, PutLifecyclePolicyRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        LifecyclePolicy.parse(request.lifecyclePolicyText());
        StoreTx.run(store, tx -> {
            RepositoryRecord repository = ImageLedger.repository(tx, scope, name);
            tx.put(scope.repositoryKey(name), repository.withLifecyclePolicy(request.lifecyclePolicyText()));
            return null;
        });
        applyQuietly(scope, name);
        return new PutLifecyclePolicyResponse(request.lifecyclePolicyText(), scope.accountId(), name);
    }

    GetLifecyclePolicyResponse get(CallContext ctx, GetLifecyclePolicyRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        RepositoryRecord repository = StoreTx.run(store, tx -> ImageLedger.repository(tx, scope, name));
        String text = repository.lifecyclePolicyIfAny()
                .orElseThrow(() -> EcrErrors.lifecyclePolicyNotFound(name, scope.accountId()));
        return new GetLifecyclePolicyResponse(repository.lifecycleEvaluatedAt(), text, scope.accountId(), name);
    }

    DeleteLifecyclePolicyResponse delete(CallContext ctx, DeleteLifecyclePolicyRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        RepositoryRecord deleted = StoreTx.run(store, tx -> {
            RepositoryRecord repository = ImageLedger.repository(tx, scope, name);
            if (repository.lifecyclePolicyIfAny().isEmpty()) {
                throw EcrErrors.lifecyclePolicyNotFound(name, scope.accountId());
            }
            tx.put(scope.repositoryKey(name), repository.withLifecyclePolicy(null));
            return repository;
        });
        return new DeleteLifecyclePolicyResponse(deleted.lifecycleEvaluatedAt(), deleted.lifecyclePolicy(),
                scope.accountId(), name);
    }

    StartLifecyclePolicyPreviewResponse startPreview(CallContext ctx, StartLifecyclePolicyPreviewRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        String text = StoreTx.run(store, tx -> {
            RepositoryRecord repository = ImageLedger.repository(tx, scope, name);
            String given = Optional.ofNullable(request.lifecyclePolicyText()).or(repository::lifecyclePolicyIfAny)
                    .orElseThrow(() -> EcrErrors.lifecyclePolicyNotFound(name, scope.accountId()));
            LifecyclePolicy.parse(given);
            tx.put(scope.repositoryKey(name), repository.withPreviewPolicy(given));
            return given;
        });
        return new StartLifecyclePolicyPreviewResponse(text, scope.accountId(), name, "IN_PROGRESS");
    }

    /** The preview is computed when asked for, over the images as they are then: it is always COMPLETE. */
    GetLifecyclePolicyPreviewResponse getPreview(CallContext ctx, GetLifecyclePolicyPreviewRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        record Read(RepositoryRecord repository, List<ImageRecord> images) {
        }
        Read read = StoreTx.run(store, tx -> new Read(ImageLedger.repository(tx, scope, name),
                ImageLedger.images(tx, scope, name)));
        String text = read.repository().previewPolicyIfAny()
                .orElseThrow(() -> EcrErrors.lifecyclePreviewNotFound(name, scope.accountId()));
        List<LifecyclePolicy.Expiry> expired = LifecyclePolicy.parse(text).expired(read.images(), clock.instant());
        List<LifecyclePolicyPreviewResult> results = expired.stream()
                .filter(e -> request.filter() == null || request.filter().tagStatus() == null
                        || ImageOperations.withTagStatus(request.filter().tagStatus()).test(e.image()))
                .map(e -> new LifecyclePolicyPreviewResult(new LifecyclePolicyRuleAction(null, "EXPIRE"),
                        e.rulePriority(), e.image().digest(), e.image().pushedAt(),
                        e.image().tags().isEmpty() ? null : e.image().tags(), "ARCHIVE"))
                .toList();
        return new GetLifecyclePolicyPreviewResponse(text, null, results, scope.accountId(), name, "COMPLETE",
                new LifecyclePolicyPreviewSummary(expired.size(), null));
    }

    /** Applies the repository's policy, if it has one, now. */
    void apply(EcrScope scope, String repository) {
        record Read(Optional<String> policy, List<ImageRecord> images) {
        }
        Read read = StoreTx.run(store, tx -> {
            Optional<RepositoryRecord> record = tx.read(scope.repositoryKey(repository), RepositoryRecord.class);
            return new Read(record.flatMap(RepositoryRecord::lifecyclePolicyIfAny),
                    record.isPresent() ? ImageLedger.images(tx, scope, repository) : List.of());
        });
        if (read.policy().isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        for (LifecyclePolicy.Expiry expiry : LifecyclePolicy.parse(read.policy().get()).expired(read.images(), now)) {
            deletion.deleteImage(scope, repository, expiry.image().digest());
        }
        StoreTx.run(store, tx -> {
            tx.read(scope.repositoryKey(repository), RepositoryRecord.class).ifPresent(record ->
                    tx.put(scope.repositoryKey(repository), record.withLifecycleEvaluatedAt(now)));
            return null;
        });
    }

    /**
     * {@link #apply} for a caller whose own work is done (a push recorded): a failure to expire is
     * logged and left to the next push or sweep, not turned into a failed push.
     */
    void applyQuietly(EcrScope scope, String repository) {
        try {
            apply(scope, repository);
        } catch (AwsException | IllegalStateException | java.io.UncheckedIOException e) {
            LOG.warn("lifecycle policy of {} not applied: {}", repository, e.toString());
        }
    }

    /** Applies every repository's policy: what the server's housekeeping runs. */
    void sweep() {
        for (var kv : store.range("/ecr/")) {
            String key = kv.key();
            int at = key.indexOf("/repositories/");
            if (at < 0) {
                continue;
            }
            String[] scopeParts = key.substring("/ecr/".length(), at).split("/");
            if (scopeParts.length == 2) {
                applyQuietly(new EcrScope(scopeParts[0], scopeParts[1]), key.substring(at + "/repositories/".length()));
            }
        }
    }
}
