package dev.stevedore.control.secretsmanager;

import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.ServiceSpec;
import dev.stevedore.control.iam.SecretSealer;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Secrets Manager API (awsJson 1.1): every operation of the committed spec, each answered by its
 * handler, in the caller's account and Region. Secret values are sealed with the given sealer before
 * they reach the store; a secret scheduled for deletion is removed lazily, by the first call that
 * finds it due.
 */
public final class SecretsManagerApi {
    /** The name of the committed shape spec this API speaks. */
    public static final String SPEC_NAME = "secretsmanager-2017-10-17";

    private final ServiceSpec spec;
    private final Map<String, JsonOperation> operations;
    private final Map<String, AccessRule> accessRules;

    /**
     * @param sealer seals secret values (the server derives its key from the identity key)
     */
    public SecretsManagerApi(StateStore store, Clock clock, SecretSealer sealer) {
        this.spec = ServiceSpec.load(SPEC_NAME);
        Map<String, JsonOperation> ops = new TreeMap<>();
        ops.putAll(new SecretOperations(store, clock, new SecretValues(sealer)).operations());
        ops.putAll(new SecretQueries(store, clock).operations());
        ops.putAll(new SecretTags(store, clock).operations());
        if (!ops.keySet().equals(new java.util.TreeSet<>(spec.operationNames()))) {
            throw new IllegalStateException("the handlers " + ops.keySet() + " are not the operations of " + SPEC_NAME);
        }
        this.operations = Collections.unmodifiableMap(ops);
        this.accessRules = SecretsManagerAccessRules.rules(store, clock);
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
}
