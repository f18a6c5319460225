package dev.stevedore.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AwsErrorResponse;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.Headers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Objects;

/**
 * Stevedore's two calls that give an agent its instance-role credentials, on the control plane's
 * endpoint: {@code POST /_stevedore/agent/join} exchanges a one-time join token (unsigned: the token
 * is the proof), and {@code POST /_stevedore/agent/credentials}, signed with the agent's current
 * temporary credentials, returns fresh ones. Both answer with the same JSON
 * ({@link InstanceCredentials#fromJson}); refusals are awsJson errors (403 AccessDeniedException for
 * a token that is unknown, used, revoked or expired, 400 InvalidParameterException), thrown as
 * {@link EcsApiException}s that carry the control plane's message.
 */
public final class InstanceCredentialsClient implements AutoCloseable {
    static final String JOIN_PATH = "/_stevedore/agent/join";
    static final String REFRESH_PATH = "/_stevedore/agent/credentials";
    private static final byte[] NO_BODY = new byte[0];

    private final HttpClient http = AgentHttp.newClient();
    private final URI joinUri;
    private final URI refreshUri;
    private final String region;
    private final Clock clock;

    private InstanceCredentialsClient(URI endpoint, String region, Clock clock) {
        this.joinUri = AgentHttp.resolve(endpoint, JOIN_PATH);
        this.refreshUri = AgentHttp.resolve(endpoint, REFRESH_PATH);
        this.region = region;
        this.clock = clock;
    }

    /**
     * @param endpoint the control plane's ECS endpoint
     * @param region   the Region refreshes are signed for
     * @param clock    signing time and the credentials' {@code obtainedAt}
     */
    public static InstanceCredentialsClient create(URI endpoint, String region, Clock clock) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(clock, "clock");
        AgentHttp.requireHttp(endpoint, "ECS endpoint");
        return new InstanceCredentialsClient(endpoint, region, clock);
    }

    /**
     * Exchanges a join token for the first credentials. The control plane takes each token once.
     *
     * @throws EcsApiException refused (a client error with the control plane's message) or not answered
     */
    public InstanceCredentials join(String joinToken) {
        Objects.requireNonNull(joinToken, "joinToken");
        byte[] body = AwsJson.toBytes(AwsJson.mapper().createObjectNode().put("joinToken", joinToken));
        return answer("Join", AgentHttp.send(http, "Join", AgentHttp.jsonPost(joinUri, body)));
    }

    /**
     * New credentials for the ones the agent holds, which sign the request and so must still be valid.
     *
     * @throws EcsApiException refused (AccessDeniedException when the join was revoked,
     *                         ExpiredTokenException when {@code current} expired) or not answered
     */
    public InstanceCredentials refresh(AgentCredentials current) {
        HttpRequest request = AgentHttp.signedPost(refreshUri, Headers.of(), NO_BODY, current, region, clock.instant());
        return answer("RefreshCredentials", AgentHttp.send(http, "RefreshCredentials", request));
    }

    private InstanceCredentials answer(String operation, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status != 200) {
            EcsApiException failure = EcsApiClient.failure(operation, status,
                    response.headers().firstValue("X-Amzn-ErrorType"), response.body());
            if (!failure.isClientError()) {
                throw failure;
            }
            // A refusal is for a person to read: the control plane's own sentence, then its code.
            AwsErrorResponse error = AwsErrorResponse.parse(response.headers().firstValue("X-Amzn-ErrorType"),
                    response.body());
            throw new EcsApiException(error.code(), true, (error.message().isEmpty() ? "refused" : error.message())
                    + " (" + (error.code().isEmpty() ? "" : error.code() + ", ") + "HTTP " + status + ")");
        }
        try {
            JsonNode json = AwsJson.mapper().readTree(response.body());
            return InstanceCredentials.fromJson(json == null ? AwsJson.mapper().missingNode() : json, clock.instant());
        } catch (IOException | IllegalArgumentException e) {
            throw new EcsApiException("", false, operation + " failed: unreadable answer (" + status + "): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        http.shutdown();
    }
}
