package dev.stevedore.control.ssm;

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
 * The Parameter Store part of the Systems Manager API (awsJson 1.1): every operation of the committed
 * SSM spec, each answered by its handler. Parameters live under {@code /ssm/ACCOUNT/REGION/}, one key
 * per parameter holding its kept versions; SecureString values are sealed with the given sealer.
 */
public final class SsmApi {
    /** The name of the committed shape spec this API speaks. */
    public static final String SPEC_NAME = "ssm-2014-11-06";

    private final ServiceSpec spec;
    private final Map<String, JsonOperation> operations;

    public SsmApi(StateStore store, Clock clock, SecretSealer sealer) {
        this.spec = ServiceSpec.load(SPEC_NAME);
        SecureValues secure = new SecureValues(sealer);
        Map<String, JsonOperation> ops = new TreeMap<>();
        ops.putAll(new ParameterWrites(store, clock, secure).operations());
        ops.putAll(new ParameterQueries(store, secure).operations());
        ops.putAll(new ParameterTags(store).operations());
        if (!ops.keySet().equals(new java.util.TreeSet<>(spec.operationNames()))) {
            throw new IllegalStateException("the handlers " + ops.keySet() + " do not match " + SPEC_NAME);
        }
        this.operations = Collections.unmodifiableMap(ops);
    }

    public ServiceSpec spec() {
        return spec;
    }

    /** What each operation needs to be allowed, for {@link dev.stevedore.awsproto.GuardedOperations}. */
    public Map<String, AccessRule> accessRules() {
        return SsmAccessRules.rules();
    }

    /** A handler for every operation of the spec. */
    public Map<String, JsonOperation> operations() {
        return operations;
    }
}
