package dev.stevedore.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.agent.engine.RegistryTokens;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.SigV4Credentials;
import dev.stevedore.model.agent.TaskCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * ECR's {@code GetAuthorizationToken} for the agent's pulls from this Stevedore's registry: an
 * awsJson 1.1 POST to the control plane's endpoint (which serves ECR), SigV4-signed for {@code ecr}
 * in the task's Region with the task's execution role's credentials or, without them, the
 * instance's own ({@link RetriedJsonCall}). The token is {@code AWS:<password>} in base64, as
 * {@code docker login} takes it apart.
 */
public final class EcrTokenClient implements RegistryTokens, AutoCloseable {
    static final String TARGET = "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken";

    private final HttpClient http;
    private final URI target;
    private final Optional<String> registry;
    private final CredentialSource instance;
    private final Clock clock;

    private EcrTokenClient(URI endpoint, Optional<String> registry, CredentialSource instance, Clock clock) {
        this.target = RetriedJsonCall.target(endpoint);
        this.registry = registry;
        this.instance = instance;
        this.clock = clock;
        this.http = AgentHttp.newClient();
    }

    /**
     * @param endpoint the control plane's endpoint, the one the agent's ECS calls go to
     * @param registry the control plane's image registry ({@code host:port}), whose images need a token
     * @param instance the instance's own keys, for tasks without an execution role
     */
    public static EcrTokenClient create(URI endpoint, Optional<String> registry, CredentialSource instance, Clock clock) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(clock, "clock");
        AgentHttp.requireHttp(endpoint, "endpoint");
        return new EcrTokenClient(endpoint, registry, instance, clock);
    }

    @Override
    public Optional<String> registry() {
        return registry;
    }

    @Override
    public Token token(Optional<TaskCredentials> executionRole, String region) {
        SigV4Credentials keys = executionRole
                .map(c -> new SigV4Credentials(c.accessKeyId(), c.secretAccessKey(), Optional.of(c.sessionToken())))
                .orElseGet(() -> {
                    AgentCredentials own = instance.current();
                    return new SigV4Credentials(own.accessKeyId(), own.secretAccessKey(), own.sessionToken());
                });
        byte[] answer = RetriedJsonCall.post(http, target, "ecr", TARGET, keys, region, "{}".getBytes(StandardCharsets.UTF_8),
                clock, TokenRefusedException::new);
        return read(answer);
    }

    /** The first authorization data of an answer: the token taken apart, and its expiry. */
    static Token read(byte[] answer) {
        try {
            JsonNode data = AwsJson.mapper().readTree(answer).path("authorizationData").path(0);
            String decoded = new String(Base64.getDecoder().decode(data.path("authorizationToken").asText()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0 || !data.path("expiresAt").isNumber()) {
                throw new TokenRefusedException("GetAuthorizationToken failed: malformed authorization data");
            }
            double expiresAt = data.path("expiresAt").asDouble();
            return new Token(decoded.substring(0, colon), decoded.substring(colon + 1),
                    Instant.ofEpochMilli(Math.round(expiresAt * 1000)));
        } catch (IOException | IllegalArgumentException e) {
            // Not the parser's message: it may quote the token.
            throw new TokenRefusedException("GetAuthorizationToken failed: unreadable answer");
        }
    }

    @Override
    public void close() {
        http.shutdown();
    }
}
