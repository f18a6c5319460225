package dev.stevedore.control.ecs;

import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.ServiceSpec;
import dev.stevedore.control.ecs.account.AccountSettings;
import dev.stevedore.control.ecs.cluster.ClusterOperations;
import dev.stevedore.control.ecs.tags.TagOperations;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionOperations;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ECS API: every operation of the official model, answered by its handler or, for operations
 * not built yet, by a clear "not implemented" client error.
 */
public final class EcsApi {
    /** The name of the committed shape spec this API speaks. */
    public static final String SPEC_NAME = "ecs-2014-11-13";

    private final ServiceSpec spec;
    private final Map<String, JsonOperation> implemented;

    public EcsApi(StateStore store, Clock clock) {
        this.spec = ServiceSpec.load(SPEC_NAME);
        AccountSettings accountSettings = new AccountSettings(store);
        Map<String, JsonOperation> ops = new TreeMap<>();
        ops.putAll(accountSettings.operations());
        ops.putAll(new ClusterOperations(store, accountSettings).operations());
        ops.putAll(new TaskDefinitionOperations(store, clock).operations());
        ops.putAll(new TagOperations(store).operations());
        for (String name : ops.keySet()) {
            if (spec.operation(name).isEmpty()) {
                throw new IllegalStateException(name + " is not an operation of " + SPEC_NAME);
            }
        }
        this.implemented = Collections.unmodifiableMap(ops);
    }

    public ServiceSpec spec() {
        return spec;
    }

    /** Names of the operations that have a real handler. */
    public Set<String> implementedOperations() {
        return implemented.keySet();
    }

    /** A handler for every operation of the model. */
    public Map<String, JsonOperation> operations() {
        Map<String, JsonOperation> all = new TreeMap<>(implemented);
        for (String name : spec.operationNames()) {
            all.putIfAbsent(name, (ctx, input) -> {
                throw EcsErrors.notImplemented(name);
            });
        }
        return all;
    }
}
