package dev.stevedore.control.iam;

import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.access.PolicySource;
import dev.stevedore.control.sts.AssumableRole;
import dev.stevedore.control.sts.IdentityDirectory;
import dev.stevedore.policy.MalformedPolicyException;
import dev.stevedore.policy.NamedPolicy;
import dev.stevedore.policy.PolicyDocument;
import dev.stevedore.policy.PolicyKind;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Watch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IAM's records as the rest of the control plane reads them: the parsed policies of a user or role
 * (for the authorizer), a user's id and a role's trust (for STS).
 *
 * <p>{@link #version()} moves with every change under {@code /iam/}, seen through a store watch, so a
 * cache keyed on it is right whoever wrote the change. Parsed documents are kept by their text: a
 * policy is parsed once, not once per call.
 */
public final class IamDirectory implements PolicySource, IdentityDirectory, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IamDirectory.class);
    private static final int MAX_PARSED = 10_000;

    private final IdentityPolicies identities;
    private final AtomicLong version = new AtomicLong();
    private final Map<String, Optional<PolicyDocument>> parsed = new ConcurrentHashMap<>();
    private final Watch watch;

    public IamDirectory(StateStore store, IdentityPolicies identities) {
        this.identities = identities;
        this.watch = store.watch("/iam/", store.currentRevision() + 1, events -> version.incrementAndGet());
    }

    @Override
    public long version() {
        return version.get();
    }

    /**
     * IAM's operations, each followed by a move of {@link #version()}: the watch alone would let a caller
     * whose policy was just changed be judged by the old one for the moment the watch takes to deliver.
     */
    public Map<String, JsonOperation> observing(Map<String, JsonOperation> operations) {
        Map<String, JsonOperation> observed = new java.util.TreeMap<>();
        operations.forEach((name, operation) -> observed.put(name, (ctx, input) -> {
            try {
                return operation.handle(ctx, input);
            } finally {
                version.incrementAndGet();
            }
        }));
        return Map.copyOf(observed);
    }

    @Override
    public PrincipalPolicies of(String accountId, String identityArn) {
        return identities.of(identityArn).map(identity -> new PrincipalPolicies(
                        identity.policies().stream().flatMap(p -> named(p).stream()).toList(),
                        identity.permissionsBoundary().flatMap(this::named)))
                .orElse(PrincipalPolicies.none());
    }

    @Override
    public Optional<NamedPolicy> managedPolicy(String accountId, String policyArn) {
        return identities.managedPolicy(accountId, policyArn).flatMap(this::named);
    }

    @Override
    public Optional<String> userId(String accountId, String userArn) {
        return identities.of(userArn).filter(i -> i.kind() == EntityKind.USER).map(IdentityPolicies.Identity::id);
    }

    @Override
    public Optional<AssumableRole> role(String accountId, String roleArn) {
        return identities.of(roleArn).filter(i -> i.kind() == EntityKind.ROLE)
                .flatMap(i -> i.trust().map(trust -> new AssumableRole(i.arn(), i.id(), i.name(), trust.document(),
                        Duration.ofSeconds(trust.maxSessionDuration()))));
    }

    private Optional<NamedPolicy> named(IdentityPolicies.NamedPolicy policy) {
        if (parsed.size() >= MAX_PARSED) {
            parsed.clear();
        }
        return parsed.computeIfAbsent(policy.document(), text -> {
            try {
                // Stored documents passed IAM's checks for their kind; evaluation needs the statements only.
                return Optional.of(PolicyDocument.parse(text, PolicyKind.SESSION));
            } catch (MalformedPolicyException e) {
                LOG.warn("Stored policy {} no longer parses ({}); it grants nothing", policy.name(), e.getMessage());
                return Optional.empty();
            }
        }).map(document -> new NamedPolicy(policy.name(), document));
    }

    @Override
    public void close() {
        watch.close();
    }
}
