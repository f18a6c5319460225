package dev.stevedore.control.ecr;

import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.ServiceSpec;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ECR API (awsJson 1.1): repositories, images, authorization tokens, lifecycle and repository
 * policies, tags, in the caller's account and Region, over the registry that holds the manifests and
 * layers ({@link ImageRegistry}). Every other operation of the committed spec is answered with a clear
 * "not implemented yet" client error.
 *
 * <p>Besides the operations it offers what the registry's front door builds on: {@link #ledger()} (a
 * pushed manifest recorded) and {@link #lifecycleAfterPush} (the repository's policy applied), and
 * {@link #lifecycleSweep()} for the server's housekeeping.
 */
public final class EcrApi {
    /** The name of the committed shape spec this API speaks. */
    public static final String SPEC_NAME = "ecr-2015-09-21";

    private final ServiceSpec spec;
    private final Map<String, JsonOperation> operations;
    private final Map<String, AccessRule> accessRules;
    private final ImageLedger ledger;
    private final Lifecycle lifecycle;

    public EcrApi(StateStore store, Clock clock, ImageRegistry registry, RegistryPasswords passwords) {
        this.spec = ServiceSpec.load(SPEC_NAME);
        this.ledger = new ImageLedger(store, clock);
        ImageDeletion deletion = new ImageDeletion(store, registry);
        this.lifecycle = new Lifecycle(store, clock, deletion);
        Map<String, JsonOperation> ops = new TreeMap<>();
        ops.putAll(new RepositoryOperations(store, clock, registry).operations());
        ops.putAll(new ImageOperations(store, registry, ledger, deletion, lifecycle).operations());
        ops.putAll(lifecycle.operations());
        ops.putAll(new RepositoryPolicies(store).operations());
        ops.putAll(new RepositoryTags(store).operations());
        ops.putAll(new AuthorizationTokens(clock, passwords, registry).operations());
        for (String name : ops.keySet()) {
            if (spec.operation(name).isEmpty()) {
                throw new IllegalStateException(name + " is not an operation of " + SPEC_NAME);
            }
        }
        for (String name : spec.operationNames()) {
            ops.putIfAbsent(name, (ctx, input) -> {
                throw EcrErrors.notImplemented(name);
            });
        }
        this.operations = Collections.unmodifiableMap(ops);
        this.accessRules = EcrAccessRules.rules(spec.operationNames());
    }

    public ServiceSpec spec() {
        return spec;
    }

    /** A handler for every operation of the spec. */
    public Map<String, JsonOperation> operations() {
        return operations;
    }

    /** What each operation needs to be allowed, for {@link dev.stevedore.awsproto.GuardedOperations}. */
    public Map<String, AccessRule> accessRules() {
        return accessRules;
    }

    /** Where pushed manifests are recorded. */
    public ImageLedger ledger() {
        return ledger;
    }

    /** Applies the repository's lifecycle policy after a push through the registry; failures are only logged. */
    public void lifecycleAfterPush(EcrScope scope, String repository) {
        lifecycle.applyQuietly(scope, repository);
    }

    /** Applies every repository's lifecycle policy (images age into {@code sinceImagePushed} rules). */
    public Runnable lifecycleSweep() {
        return lifecycle::sweep;
    }
}
