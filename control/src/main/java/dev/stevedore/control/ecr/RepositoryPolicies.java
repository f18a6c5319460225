package dev.stevedore.control.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecr.DeleteRepositoryPolicyRequest;
import dev.stevedore.model.ecr.DeleteRepositoryPolicyResponse;
import dev.stevedore.model.ecr.GetRepositoryPolicyRequest;
import dev.stevedore.model.ecr.GetRepositoryPolicyResponse;
import dev.stevedore.model.ecr.SetRepositoryPolicyRequest;
import dev.stevedore.model.ecr.SetRepositoryPolicyResponse;
import dev.stevedore.store.StateStore;

import java.io.IOException;
import java.util.Map;

/**
 * Set/Get/DeleteRepositoryPolicy: a repository's resource-based policy, kept as given. It is stored and answered; the authorizer does not read it yet.
 */
final class RepositoryPolicies {
    private final StateStore store;

    RepositoryPolicies(StateStore store) {
        this.store = store;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "SetRepositoryPolicy", Operations.typed(SetRepositoryPolicyRequest.class, this::set),
                "GetRepositoryPolicy", Operations.typed(GetRepositoryPolicyRequest.class, this::get),
                "DeleteRepositoryPolicy", Operations.typed(DeleteRepositoryPolicyRequest.class, this::delete));
    }

    SetRepositoryPolicyResponse set(CallContext ctx, SetRepositoryPolicyRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        requireStatements(request.policyText());
        StoreTx.run(store, tx -> {
            RepositoryRecord repository = ImageLedger.repository(tx, scope, name);
            tx.put(scope.repositoryKey(name), repository.withRepositoryPolicy(request.policyText()));
            return null;
        });
        return new SetRepositoryPolicyResponse(request.policyText(), scope.accountId(), name);
    }

    /**
     * A JSON object with statements. IAM's resource-policy grammar is not applied: a repository's policy
     * leaves Resource out (the repository is implied), which that grammar requires.
     */
    private static void requireStatements(String text) {
        try {
            JsonNode policy = AwsJson.mapper().readTree(text);
            if (policy != null && policy.isObject() && (policy.path("Statement").isArray()
                    || policy.path("Statement").isObject())) {
                return;
            }
        } catch (IOException e) {
            // Answered below, as any other malformed text.
        }
        throw EcrErrors.invalidParameter("Invalid parameter at 'PolicyText' failed to satisfy constraint:"
                + " 'Invalid repository policy provided'");
    }

    GetRepositoryPolicyResponse get(CallContext ctx, GetRepositoryPolicyRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        String text = StoreTx.run(store, tx -> ImageLedger.repository(tx, scope, name)).repositoryPolicyIfAny()
                .orElseThrow(() -> EcrErrors.repositoryPolicyNotFound(name, scope.accountId()));
        return new GetRepositoryPolicyResponse(text, scope.accountId(), name);
    }

    DeleteRepositoryPolicyResponse delete(CallContext ctx, DeleteRepositoryPolicyRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        String text = StoreTx.run(store, tx -> {
            RepositoryRecord repository = ImageLedger.repository(tx, scope, name);
            String existing = repository.repositoryPolicyIfAny()
                    .orElseThrow(() -> EcrErrors.repositoryPolicyNotFound(name, scope.accountId()));
            tx.put(scope.repositoryKey(name), repository.withRepositoryPolicy(null));
            return existing;
        });
        return new DeleteRepositoryPolicyResponse(text, scope.accountId(), name);
    }
}
