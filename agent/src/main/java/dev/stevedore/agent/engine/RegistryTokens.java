package dev.stevedore.agent.engine;

import dev.stevedore.model.agent.TaskCredentials;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * This Stevedore's image registry, its ECR, as the engine pulls from it: where it is, and the
 * credentials a {@code docker login} to it takes, from ECR's {@code GetAuthorizationToken}.
 * Implemented outside the engine (the agent's API client), so the engine stays free of the wire.
 */
public interface RegistryTokens {

    /** The registry's {@code host[:port]} as image references name it; empty when the agent knows of none. */
    Optional<String> registry();

    /**
     * A token of the registry, asked for with the task's execution role's credentials or, without
     * them, with the instance's own, as ECS does.
     *
     * @throws TokenRefusedException when the call is refused or not answered
     */
    Token token(Optional<TaskCredentials> executionRole, String region);

    /** The user name and password of {@code docker login}, and when the password stops being accepted. */
    record Token(String username, String password, Instant expiresAt) {
        public Token {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        @Override
        public String toString() {
            return "Token[" + username + ", expires " + expiresAt + "]";
        }
    }

    /** {@code GetAuthorizationToken} failed; the message is what ECR said (code, message, status, request id). */
    final class TokenRefusedException extends RuntimeException {
        public TokenRefusedException(String message) {
            super(Objects.requireNonNull(message, "message"));
        }
    }

    /** For an agent that knows of no registry of its control plane's: no image is pulled with a token. */
    RegistryTokens NONE = new RegistryTokens() {
        @Override
        public Optional<String> registry() {
            return Optional.empty();
        }

        @Override
        public Token token(Optional<TaskCredentials> executionRole, String region) {
            throw new TokenRefusedException("this agent knows of no image registry");
        }
    };
}
