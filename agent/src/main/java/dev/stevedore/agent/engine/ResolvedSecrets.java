package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.RegistryAuth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The secret values of a task's containers still to create, read at its start. Held in the task
 * supervisor's memory only, never in the task's record (which is saved to disk) and never printed.
 *
 * @param environment  per container, the variables of its {@code secrets}, in definition order
 * @param logOptions   per container, the log driver options of its {@code logConfiguration.secretOptions}
 * @param registryAuth per container, its {@code repositoryCredentials}
 */
record ResolvedSecrets(Map<String, Map<String, String>> environment, Map<String, Map<String, String>> logOptions,
                       Map<String, RegistryAuth> registryAuth) {

    static final ResolvedSecrets NONE = new ResolvedSecrets(Map.of(), Map.of(), Map.of());

    ResolvedSecrets {
        environment = copy(environment);
        logOptions = copy(logOptions);
        registryAuth = Map.copyOf(registryAuth);
    }

    Map<String, String> environmentOf(String container) {
        return environment.getOrDefault(container, Map.of());
    }

    Map<String, String> logOptionsOf(String container) {
        return logOptions.getOrDefault(container, Map.of());
    }

    Optional<RegistryAuth> registryAuthOf(String container) {
        return Optional.ofNullable(registryAuth.get(container));
    }

    /** Which containers have what, never a value. */
    @Override
    public String toString() {
        return "ResolvedSecrets[environment=" + names(environment) + ", logOptions=" + names(logOptions)
                + ", registryAuth=" + registryAuth.keySet() + "]";
    }

    private static Map<String, Object> names(Map<String, Map<String, String>> byContainer) {
        Map<String, Object> out = new LinkedHashMap<>();
        byContainer.forEach((c, values) -> out.put(c, values.keySet()));
        return out;
    }

    /** Unmodifiable, keeping each container's order of variables. */
    private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> in) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        in.forEach((c, values) -> out.put(c, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        return java.util.Collections.unmodifiableMap(out);
    }
}
