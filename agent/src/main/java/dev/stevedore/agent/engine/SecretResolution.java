package dev.stevedore.agent.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.agent.engine.SecretStores.SecretStoreException;
import dev.stevedore.agent.runtime.RegistryAuth;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskCredentials;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.Secret;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the secrets of a task's containers still to create, as the ECS agent does before it creates
 * any: {@code secrets} and {@code logConfiguration.secretOptions} from Parameter Store (GetParameters
 * with decryption, at most ten names a call, one Region at a time) and Secrets Manager
 * (GetSecretValue, once per secret and version), and {@code repositoryCredentials} from Secrets
 * Manager, all with the task's execution role. The first failure fails the task with ECS's
 * {@code ResourceInitializationError} reason; values appear in no reason.
 */
final class SecretResolution {

    /** ECS's stoppedReason for a task whose secrets or registry credentials could not be read. */
    static final String REASON = "ResourceInitializationError: unable to pull secrets or registry auth: "
            + "execution resource retrieval failed: ";
    /** How ECS words a failed call; it retries a failed call once, as the agent's client does. */
    static final String RETRIED = "service call has been retried 1 time(s): ";
    static final int MAX_NAMES_PER_CALL = 10;

    private SecretResolution() {
    }

    /** The outcome of reading a task's secrets. */
    sealed interface Outcome {
        record Resolved(ResolvedSecrets secrets) implements Outcome {}

        /** @param reason the task's stoppedReason */
        record Failed(String reason) implements Outcome {}
    }

    /** One secret a container needs, and what it is for. */
    private record Need(String container, Use use, String name, String valueFrom) {}

    private enum Use { ENVIRONMENT, LOG_OPTION, REGISTRY }

    /** Whether any container still to create has a secret or registry credentials (pure). */
    static boolean needed(TaskRecord r, TaskPlan plan) {
        return !needs(r, plan).isEmpty();
    }

    /** Reads every secret the containers still to create need. */
    static Outcome resolve(TaskRecord r, TaskPlan plan, String taskRegion, SecretStores stores) {
        List<Need> needs = needs(r, plan);
        if (needs.isEmpty()) {
            return new Outcome.Resolved(ResolvedSecrets.NONE);
        }
        Optional<TaskCredentials> role = r.assignment().flatMap(TaskAssignment::executionRoleCredentials);
        if (role.isEmpty()) {
            // The ECS agent's words for a task without execution role credentials.
            return new Outcome.Failed(REASON + "unable to find execution role credentials");
        }
        try {
            return new Outcome.Resolved(new Reader(role.get(), taskRegion, stores).read(needs));
        } catch (Failure f) {
            return new Outcome.Failed(REASON + f.getMessage());
        }
    }

    private static List<Need> needs(TaskRecord r, TaskPlan plan) {
        List<Need> needs = new ArrayList<>();
        for (PlannedContainer pc : plan.containers()) {
            boolean toCreate = r.container(pc.name())
                    .map(c -> c.phase().startable() && c.dockerId().isEmpty()).orElse(false);
            if (!toCreate) {
                continue;
            }
            ContainerDefinition def = pc.definition();
            for (Secret s : list(def.secrets())) {
                needs.add(new Need(pc.name(), Use.ENVIRONMENT, s.name(), s.valueFrom()));
            }
            if (def.logConfiguration() != null) {
                for (Secret s : list(def.logConfiguration().secretOptions())) {
                    needs.add(new Need(pc.name(), Use.LOG_OPTION, s.name(), s.valueFrom()));
                }
            }
            if (def.repositoryCredentials() != null && def.repositoryCredentials().credentialsParameter() != null) {
                needs.add(new Need(pc.name(), Use.REGISTRY, "", def.repositoryCredentials().credentialsParameter()));
            }
        }
        return needs;
    }

    /** A reason, without the common prefix; never carries a value. */
    private static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** One task's reading: what was read so far, so that a secret named twice is read once. */
    private static final class Reader {
        private final TaskCredentials role;
        private final String taskRegion;
        private final SecretStores stores;
        private final Map<SecretReference.Parameter, String> parameters = new HashMap<>();
        private final Map<SecretReference.Secret, String> secretStrings = new HashMap<>();

        Reader(TaskCredentials role, String taskRegion, SecretStores stores) {
            this.role = role;
            this.taskRegion = taskRegion;
            this.stores = stores;
        }

        ResolvedSecrets read(List<Need> needs) {
            Map<Need, SecretReference> refs = new LinkedHashMap<>();
            for (Need n : needs) {
                if (n.valueFrom() == null || n.valueFrom().isBlank()) {
                    throw new Failure("secret " + n.name() + " of container " + n.container() + " has no valueFrom");
                }
                try {
                    refs.put(n, n.use() == Use.REGISTRY
                            ? SecretReference.registryCredentials(n.valueFrom(), taskRegion)
                            : SecretReference.parse(n.valueFrom(), taskRegion));
                } catch (IllegalArgumentException e) {
                    throw new Failure("trying to retrieve secret with value " + n.valueFrom() + " resulted in error: "
                            + e.getMessage());
                }
            }
            readParameters(refs.values().stream().filter(SecretReference.Parameter.class::isInstance)
                    .map(SecretReference.Parameter.class::cast).toList());
            Map<String, Map<String, String>> environment = new LinkedHashMap<>();
            Map<String, Map<String, String>> logOptions = new LinkedHashMap<>();
            Map<String, RegistryAuth> registry = new LinkedHashMap<>();
            for (Map.Entry<Need, SecretReference> e : refs.entrySet()) {
                Need n = e.getKey();
                switch (n.use()) {
                    case ENVIRONMENT -> environment.computeIfAbsent(n.container(), c -> new LinkedHashMap<>())
                            .put(n.name(), value(e.getValue()));
                    case LOG_OPTION -> logOptions.computeIfAbsent(n.container(), c -> new LinkedHashMap<>())
                            .put(n.name(), value(e.getValue()));
                    case REGISTRY -> registry.put(n.container(), registryAuth(secretString((SecretReference.Secret) e.getValue())));
                }
            }
            return new ResolvedSecrets(environment, logOptions, registry);
        }

        /** Every parameter, grouped by Region, ten names a call; a name not found fails the task. */
        private void readParameters(List<SecretReference.Parameter> wanted) {
            Map<String, Set<String>> byRegion = new LinkedHashMap<>();
            wanted.forEach(p -> byRegion.computeIfAbsent(p.region(), r -> new LinkedHashSet<>()).add(p.name()));
            for (Map.Entry<String, Set<String>> region : byRegion.entrySet()) {
                List<String> names = List.copyOf(region.getValue());
                for (int from = 0; from < names.size(); from += MAX_NAMES_PER_CALL) {
                    List<String> batch = names.subList(from, Math.min(names.size(), from + MAX_NAMES_PER_CALL));
                    SecretStores.ParameterValues answer;
                    try {
                        answer = stores.getParameters(role, region.getKey(), batch);
                    } catch (SecretStoreException e) {
                        rethrowIfInterrupted(e);
                        throw new Failure("unable to retrieve secrets from ssm: " + RETRIED + e.getMessage());
                    }
                    List<String> missing = new ArrayList<>(answer.invalid());
                    batch.stream().filter(n -> !answer.values().containsKey(n) && !missing.contains(n)).forEach(missing::add);
                    if (!missing.isEmpty()) {
                        // The ECS agent's words for names GetParameters did not find.
                        throw new Failure("unable to retrieve secrets from ssm: invalid parameters: " + String.join(",", missing));
                    }
                    answer.values().forEach((name, value) -> parameters.put(new SecretReference.Parameter(region.getKey(), name), value));
                }
            }
        }

        private String value(SecretReference ref) {
            return switch (ref) {
                case SecretReference.Parameter p -> Objects.requireNonNull(parameters.get(p), "read above");
                case SecretReference.Secret s -> s.jsonKey().isPresent()
                        ? jsonKey(s, secretString(s), s.jsonKey().get())
                        : secretString(s);
            };
        }

        /** Each secret and version once, whatever part of it each container wants. */
        private String secretString(SecretReference.Secret s) {
            SecretReference.Secret whole = new SecretReference.Secret(s.region(), s.secretId(), Optional.empty(),
                    s.versionStage(), s.versionId());
            String known = secretStrings.get(whole);
            if (known != null) {
                return known;
            }
            String value;
            try {
                value = stores.getSecretString(role, s.region(), s.secretId(), s.versionStage(), s.versionId());
            } catch (SecretStoreException e) {
                rethrowIfInterrupted(e);
                throw new Failure("unable to retrieve secret from asm: " + RETRIED + "failed to fetch secret " + s.secretId()
                        + " from secrets manager: " + e.getMessage());
            }
            secretStrings.put(whole, value);
            return value;
        }

        /** A top-level key of the secret's JSON object; a value that is not a string is given as its JSON text. */
        private static String jsonKey(SecretReference.Secret s, String secretString, String key) {
            JsonNode node = jsonObject(secretString).orElseThrow(() -> new Failure("unable to retrieve secret from asm: "
                    + "the secret string of " + s.secretId() + " is not a JSON object, so it has no json key " + key));
            JsonNode value = node.get(key);
            if (value == null) {
                // The ECS agent's words.
                throw new Failure("unable to retrieve secret from asm: retrieved secret from Secrets Manager did not "
                        + "contain json key " + key);
            }
            return value.isTextual() ? value.asText() : value.toString();
        }

        /** {@code {"username": ..., "password": ...}}, in the ECS agent's words when it is not. */
        private static RegistryAuth registryAuth(String secretString) {
            JsonNode node = jsonObject(secretString).orElseThrow(() -> new Failure(
                    "asm fetching authorization data: unable to unmarshal secret value, invalid schema"));
            String username = node.path("username").isTextual() ? node.get("username").asText() : "";
            String password = node.path("password").isTextual() ? node.get("password").asText() : "";
            if (username.isEmpty()) {
                throw new Failure("asm fetching username: AuthorizationData is malformed, empty field");
            }
            if (password.isEmpty()) {
                throw new Failure("asm fetching password: AuthorizationData is malformed, empty field");
            }
            return new RegistryAuth(username, password);
        }

        /** The parsed object; nothing of the parser's message, which may quote the text. */
        private static Optional<JsonNode> jsonObject(String text) {
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                JsonNode node = AwsJson.mapper().readTree(text);
                return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /** A supervisor being closed is not the task's failure: the step is tried again by the next agent run. */
        private static void rethrowIfInterrupted(SecretStoreException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
        }
    }

    private static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : value;
    }
}
