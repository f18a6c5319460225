package dev.stevedore.control.ssm;

import dev.stevedore.control.state.Records;
import dev.stevedore.store.StateStore;

import java.util.List;
import java.util.Optional;

/** Reads parameters of one scope from the store. */
final class ParameterReads {
    private final StateStore store;

    ParameterReads(StateStore store) {
        this.store = store;
    }

    Optional<StoredParameter> find(SsmScope scope, String name) {
        return store.get(scope.key(name)).map(kv -> Records.decode(kv.value(), StoredParameter.class));
    }

    /** The parameter a name or an ARN of this scope names; see {@link ParameterArn#names}. */
    Optional<StoredParameter> findByNameOrArn(SsmScope scope, String nameOrArn) {
        if (!nameOrArn.startsWith(ParameterArn.PREFIX)) {
            return find(scope, nameOrArn);
        }
        return ParameterArn.names(scope, nameOrArn).stream()
                .map(name -> find(scope, name)).flatMap(Optional::stream).findFirst();
    }

    /** Every parameter of the scope whose name starts with {@code namePrefix}, ascending by name. */
    List<StoredParameter> withPrefix(SsmScope scope, String namePrefix) {
        return store.range(scope.key(namePrefix)).stream()
                .map(kv -> Records.decode(kv.value(), StoredParameter.class))
                .toList();
    }
}
