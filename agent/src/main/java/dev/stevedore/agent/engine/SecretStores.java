package dev.stevedore.agent.engine;

import dev.stevedore.model.agent.TaskCredentials;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the engine reads a task's secrets, signed with the task's execution role: Parameter Store
 * ({@code GetParameters}) and Secrets Manager ({@code GetSecretValue}) of a Region. Implemented
 * outside the engine (the agent's API client), so the engine stays free of the wire.
 */
public interface SecretStores {

    /**
     * {@code GetParameters} with decryption, of at most ten names.
     *
     * @param names parameter names, paths or ARNs, each found again in the answer by exactly this text
     * @throws SecretStoreException when the call is refused or not answered
     */
    ParameterValues getParameters(TaskCredentials credentials, String region, List<String> names);

    /**
     * {@code GetSecretValue}'s SecretString (empty when the version holds a binary secret only).
     *
     * @param secretId the secret's ARN (full or partial) or name
     * @throws SecretStoreException when the call is refused or not answered
     */
    String getSecretString(TaskCredentials credentials, String region, String secretId, Optional<String> versionStage,
                           Optional<String> versionId);

    /**
     * What {@code GetParameters} found.
     *
     * @param values  each found parameter's value by the name it was asked for
     * @param invalid the names asked for that it did not find
     */
    record ParameterValues(Map<String, String> values, List<String> invalid) {
        public ParameterValues {
            values = Map.copyOf(values);
            invalid = List.copyOf(invalid);
        }

        /** Names only: values are secrets. */
        @Override
        public String toString() {
            return "ParameterValues[found=" + values.keySet() + ", invalid=" + invalid + "]";
        }
    }

    /**
     * A call to a store that failed; the message is what the service said (its error code, message,
     * HTTP status and request id) or why it did not answer, and never a secret.
     */
    final class SecretStoreException extends RuntimeException {
        public SecretStoreException(String message) {
            super(Objects.requireNonNull(message, "message"));
        }

        public SecretStoreException(String message, Throwable cause) {
            super(Objects.requireNonNull(message, "message"), cause);
        }
    }

    /** For an engine given no way to reach the stores (tests of tasks without secrets): every read fails. */
    SecretStores NONE = new SecretStores() {
        @Override
        public ParameterValues getParameters(TaskCredentials credentials, String region, List<String> names) {
            throw new SecretStoreException("this agent has no secret stores");
        }

        @Override
        public String getSecretString(TaskCredentials credentials, String region, String secretId,
                                      Optional<String> versionStage, Optional<String> versionId) {
            throw new SecretStoreException("this agent has no secret stores");
        }
    };
}
