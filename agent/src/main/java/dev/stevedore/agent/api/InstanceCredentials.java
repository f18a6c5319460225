package dev.stevedore.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsJson;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * A joined agent's temporary credentials of its instance role, as the control plane hands them out
 * for a join token and on each refresh.
 *
 * @param credentials the keys, with their session token
 * @param expiration  when the control plane stops taking them
 * @param roleArn     the role they are a session of ({@code ecsInstanceRole} unless the token named another)
 * @param cluster     the cluster the join token names, if it names one
 * @param obtainedAt  when this agent received them, by its own clock: their lifetime, as far as the
 *                    agent can tell, runs from here to {@code expiration}
 */
public record InstanceCredentials(AgentCredentials credentials, Instant expiration, String roleArn,
                                  Optional<String> cluster, Instant obtainedAt) {

    public InstanceCredentials {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(expiration, "expiration");
        Objects.requireNonNull(roleArn, "roleArn");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(obtainedAt, "obtainedAt");
        if (credentials.sessionToken().isEmpty()) {
            throw new IllegalArgumentException("instance credentials are temporary: they need a session token");
        }
    }

    /**
     * When to ask for new ones: half-way through their lifetime. Half (rather than the last third or
     * the last minutes) leaves the longest time to get through to a control plane that is down or
     * restarting, with backoff, before the keys end; the price is one small call per half lifetime.
     */
    public Instant refreshAt() {
        Duration lifetime = Duration.between(obtainedAt, expiration);
        return lifetime.isNegative() ? obtainedAt : obtainedAt.plus(lifetime.dividedBy(2));
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiration);
    }

    /**
     * Reads the control plane's answer: {@code accessKeyId}, {@code secretAccessKey},
     * {@code sessionToken}, {@code expiration} (ISO 8601), {@code roleArn}, {@code cluster} (empty
     * when the token names none).
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static InstanceCredentials fromJson(JsonNode json, Instant obtainedAt) {
        String expiration = text(json, "expiration");
        Instant expires;
        try {
            expires = Instant.parse(expiration);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expiration is not an ISO 8601 instant: " + expiration);
        }
        return new InstanceCredentials(new AgentCredentials(text(json, "accessKeyId"), text(json, "secretAccessKey"),
                Optional.of(text(json, "sessionToken"))), expires, text(json, "roleArn"),
                Optional.ofNullable(json.path("cluster").textValue()).filter(c -> !c.isBlank()), obtainedAt);
    }

    /** The same members {@link #fromJson} reads. */
    public ObjectNode toJson() {
        ObjectNode json = AwsJson.mapper().createObjectNode();
        json.put("accessKeyId", credentials.accessKeyId());
        json.put("secretAccessKey", credentials.secretAccessKey());
        json.put("sessionToken", credentials.sessionToken().orElseThrow());
        json.put("expiration", expiration.toString());
        json.put("roleArn", roleArn);
        json.put("cluster", cluster.orElse(""));
        return json;
    }

    private static String text(JsonNode json, String member) {
        JsonNode value = json.path(member);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("no " + member);
        }
        return value.asText();
    }

    @Override
    public String toString() {
        // The default would print the secret and the token through AgentCredentials' fields.
        return "InstanceCredentials[accessKeyId=" + credentials.accessKeyId() + ", expiration=" + expiration
                + ", roleArn=" + roleArn + ", cluster=" + cluster.orElse("") + "]";
    }
}
