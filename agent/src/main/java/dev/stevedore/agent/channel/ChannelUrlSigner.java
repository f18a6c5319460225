package dev.stevedore.agent.channel;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.model.agent.AgentChannel;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * The agent channel's URL, presigned with SigV4 in query-string form for the {@code ecs} service by
 * the AWS SDK's signer: the agent proves who it is with the same keys it calls the API with, and the
 * short validity keeps a leaked URL from being useful for long. Only the {@code host} header is
 * signed, since a WebSocket client controls no other header reliably.
 */
public final class ChannelUrlSigner {
    static final String SERVICE = "ecs";
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final AwsCredentialsIdentity identity;
    private final String region;
    private final Duration validity;
    private final Clock clock;

    public ChannelUrlSigner(AgentCredentials credentials, String region, Duration validity, Clock clock) {
        this.identity = credentials.sessionToken()
                .<AwsCredentialsIdentity>map(token -> AwsSessionCredentialsIdentity.create(credentials.accessKeyId(),
                        credentials.secretAccessKey(), token))
                .orElseGet(() -> AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey()));
        this.region = region;
        this.validity = validity;
        this.clock = clock;
    }

    /**
     * The WebSocket URL ({@code ws:} for an {@code http:} endpoint, {@code wss:} for {@code https:}) of
     * the channel of {@code containerInstanceArn} at {@code endpoint}, as DiscoverPollEndpoint gives it.
     */
    public URI sign(URI endpoint, String containerInstanceArn) {
        String scheme = endpoint.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("the channel endpoint must be an http(s) URL: " + endpoint);
        }
        String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .protocol(scheme)
                .host(endpoint.getHost())
                .encodedPath(base + AgentChannel.PATH)
                .appendRawQueryParameter(AgentChannel.INSTANCE_PARAMETER, containerInstanceArn);
        if (endpoint.getPort() >= 0) {
            request.port(endpoint.getPort());
        }
        SdkHttpRequest signed = SIGNER.sign(SignRequest.builder(identity)
                .request(request.build())
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, validity)
                .build()).request();
        // Same URL, WebSocket scheme: the signature covers host, path and query, not the scheme.
        String http = signed.getUri().toString();
        return URI.create(("https".equals(scheme) ? "wss" : "ws") + http.substring(scheme.length()));
    }
}
