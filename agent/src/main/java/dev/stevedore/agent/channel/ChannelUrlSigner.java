package dev.stevedore.agent.channel;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.api.CredentialSource;
import dev.stevedore.awsproto.SigV4Credentials;
import dev.stevedore.awsproto.SigV4Signer;
import dev.stevedore.model.agent.AgentChannel;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * The agent channel's URL, presigned with SigV4 in query-string form for the {@code ecs} service:
 * the agent proves who it is with the same keys it calls the API with, and the short validity keeps
 * a leaked URL from being useful for long. Only the {@code host} header is signed, since a WebSocket
 * client controls no other header reliably. The keys are the source's current ones at each signing,
 * so a reconnect after the agent's credentials were refreshed presents the new ones.
 */
public final class ChannelUrlSigner {
    static final String SERVICE = "ecs";

    private final CredentialSource credentials;
    private final String region;
    private final Duration validity;
    private final Clock clock;

    public ChannelUrlSigner(CredentialSource credentials, String region, Duration validity, Clock clock) {
        this.credentials = credentials;
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
        URI url = URI.create(scheme + "://" + endpoint.getRawAuthority() + base + AgentChannel.PATH + "?"
                + AgentChannel.INSTANCE_PARAMETER + "=" + URLEncoder.encode(containerInstanceArn, StandardCharsets.UTF_8));
        AgentCredentials keys = credentials.current();
        SigV4Signer signer = new SigV4Signer(new SigV4Credentials(keys.accessKeyId(), keys.secretAccessKey(),
                keys.sessionToken()), region, SERVICE);
        String signed = signer.presign("GET", url, validity, clock.instant()).toString();
        // Same URL, WebSocket scheme: the signature covers host, path and query, not the scheme.
        return URI.create(("https".equals(scheme) ? "wss" : "ws") + signed.substring(scheme.length()));
    }
}
