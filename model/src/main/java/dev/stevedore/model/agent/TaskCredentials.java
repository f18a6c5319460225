package dev.stevedore.model.agent;

import java.time.Instant;
import java.util.Objects;

/**
 * Temporary credentials of one of a task's roles, minted by the control plane and handed to the
 * agent with the task's assignment. The agent serves the task role's to the task's containers at
 * {@code http://169.254.170.2/v2/credentials/{credentialsId}} and keeps the execution role's for
 * itself.
 *
 * @param credentialsId   the id containers ask for the credentials by: unguessable (a random
 *                        UUID), because it is all a container presents; a refresh may keep it or
 *                        bring a new one
 * @param role            which of the task's roles these are
 * @param roleArn         the role's ARN
 * @param expiration      when the credentials stop being accepted
 */
public record TaskCredentials(
        String credentialsId,
        Role role,
        String roleArn,
        String accessKeyId,
        String secretAccessKey,
        String sessionToken,
        Instant expiration) {

    /** The role of a task the credentials are for. */
    public enum Role {
        /** The task definition's {@code taskRoleArn}: the containers' own permissions. */
        TASK,
        /** The task definition's {@code executionRoleArn}: what the agent does on the task's behalf. */
        EXECUTION
    }

    public TaskCredentials {
        Objects.requireNonNull(credentialsId, "credentialsId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(roleArn, "roleArn");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(sessionToken, "sessionToken");
        Objects.requireNonNull(expiration, "expiration");
        if (credentialsId.isBlank()) {
            throw new IllegalArgumentException("credentialsId must not be blank");
        }
    }

    /**
     * Names the role and the access key, never the secret, the token or the id (which is what a
     * container presents to get them), so logs can carry it.
     */
    @Override
    public String toString() {
        return "TaskCredentials[" + role + " " + roleArn + ", key " + accessKeyId + ", expires " + expiration + "]";
    }
}
