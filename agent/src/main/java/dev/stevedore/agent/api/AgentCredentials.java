package dev.stevedore.agent.api;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys the agent signs with: its calls to the ECS API and its channel URL. Keys that never
 * change (root or user keys from the environment) are their own {@link CredentialSource}.
 *
 * @param sessionToken present for temporary credentials
 */
public record AgentCredentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken)
        implements CredentialSource {

    public AgentCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(sessionToken, "sessionToken");
        if (accessKeyId.isBlank() || secretAccessKey.isBlank()) {
            throw new IllegalArgumentException("access key id and secret access key must not be blank");
        }
    }

    @Override
    public AgentCredentials current() {
        return this;
    }

    public static AgentCredentials of(String accessKeyId, String secretAccessKey) {
        return new AgentCredentials(accessKeyId, secretAccessKey, Optional.empty());
    }

    /**
     * From the environment: {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} (with
     * {@code AWS_SESSION_TOKEN}) as every AWS tool reads them, else Stevedore's own
     * {@code STEVEDORE_ACCESS_KEY_ID} / {@code STEVEDORE_SECRET_ACCESS_KEY}.
     *
     * @throws IllegalArgumentException naming the variables when neither pair is set
     */
    public static AgentCredentials fromEnvironment(Map<String, String> env) {
        Optional<String> awsId = nonBlank(env.get("AWS_ACCESS_KEY_ID"));
        Optional<String> awsSecret = nonBlank(env.get("AWS_SECRET_ACCESS_KEY"));
        if (awsId.isPresent() && awsSecret.isPresent()) {
            return new AgentCredentials(awsId.get(), awsSecret.get(), nonBlank(env.get("AWS_SESSION_TOKEN")));
        }
        Optional<String> id = nonBlank(env.get("STEVEDORE_ACCESS_KEY_ID"));
        Optional<String> secret = nonBlank(env.get("STEVEDORE_SECRET_ACCESS_KEY"));
        if (id.isPresent() && secret.isPresent()) {
            return of(id.get(), secret.get());
        }
        throw new IllegalArgumentException("No credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                + "(or STEVEDORE_ACCESS_KEY_ID and STEVEDORE_SECRET_ACCESS_KEY); `stevedore env` prints them.");
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    @Override
    public String toString() {
        // Records print every component; the secret must never reach a log.
        return "AgentCredentials[accessKeyId=" + accessKeyId + "]";
    }
}
