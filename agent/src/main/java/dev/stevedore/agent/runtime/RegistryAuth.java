package dev.stevedore.agent.runtime;

import java.util.Objects;

/**
 * User name and password for the registry that holds an image (ECS {@code repositoryCredentials},
 * or the user {@code AWS} and a token for ECR).
 */
public record RegistryAuth(String username, String password) {

    public RegistryAuth {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isBlank()) {
            throw new IllegalArgumentException("registry username must not be blank");
        }
    }

    /** Keeps the password out of logs and exception messages. */
    @Override
    public String toString() {
        return "RegistryAuth[username=" + username + ", password=***]";
    }
}
