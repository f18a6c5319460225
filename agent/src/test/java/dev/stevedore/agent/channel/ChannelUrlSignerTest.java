package dev.stevedore.agent.channel;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.SigV4Exception;
import dev.stevedore.awsproto.SigV4Verifier;
import dev.stevedore.awsproto.SigningIdentity;
import dev.stevedore.awsproto.VerifiedRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent's presigned channel URL against the control plane's own SigV4 verifier. */
class ChannelUrlSignerTest {
    private static final String KEY = "AKIAAGENTKEY00000001";
    private static final String SECRET = "agent/secret/key/0123456789abcdefghijklm";
    private static final String ARN = "arn:aws:ecs:us-east-1:123456789012:container-instance/default/abc";
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final Principal PRINCIPAL = new Principal("123456789012", KEY, "arn:aws:iam::123456789012:root");

    private final ChannelUrlSigner signer = new ChannelUrlSigner(AgentCredentials.of(KEY, SECRET), "us-east-1",
            Duration.ofMinutes(1), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void theUrlIsAWebSocketUrlToTheChannelPathNamingTheInstance() {
        URI url = signer.sign(URI.create("http://127.0.0.1:9400"), ARN);

        assertThat(url.getScheme()).isEqualTo("ws");
        assertThat(url.getAuthority()).isEqualTo("127.0.0.1:9400");
        assertThat(url.getPath()).isEqualTo("/agent/v1/connect");
        assertThat(url.getQuery()).contains("containerInstance=" + ARN, "X-Amz-Algorithm=AWS4-HMAC-SHA256",
                "X-Amz-Expires=60", "X-Amz-SignedHeaders=host");
        assertThat(signer.sign(URI.create("https://example.test"), ARN).getScheme()).isEqualTo("wss");
    }

    @Test
    void theControlPlanesVerifierAcceptsIt() {
        VerifiedRequest verified = verifier(NOW.plusSeconds(30)).verify(asReceived(signer.sign(
                URI.create("http://127.0.0.1:9400"), ARN)), "ecs");

        assertThat(verified.principal()).isEqualTo(PRINCIPAL);
        assertThat(verified.region()).isEqualTo("us-east-1");
    }

    @Test
    void itExpiresAfterItsValidity() {
        HttpRequest request = asReceived(signer.sign(URI.create("http://127.0.0.1:9400"), ARN));

        assertThatThrownBy(() -> verifier(NOW.plusSeconds(61)).verify(request, "ecs"))
                .isInstanceOfSatisfying(SigV4Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(SigV4Exception.Reason.SIGNATURE_EXPIRED));
    }

    @Test
    void anotherInstanceInTheSameUrlBreaksTheSignature() {
        URI url = signer.sign(URI.create("http://127.0.0.1:9400"), ARN);
        URI tampered = URI.create(url.toString().replace("default%2Fabc", "default%2Fabd"));

        assertThatThrownBy(() -> verifier(NOW).verify(asReceived(tampered), "ecs"))
                .isInstanceOfSatisfying(SigV4Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(SigV4Exception.Reason.SIGNATURE_MISMATCH));
    }

    @Test
    void aBasePathOfTheEndpointIsKept() {
        URI url = signer.sign(URI.create("http://127.0.0.1:9400/stevedore/"), ARN);

        assertThat(url.getPath()).isEqualTo("/stevedore/agent/v1/connect");
        verifier(NOW).verify(asReceived(url), "ecs");
    }

    private static SigV4Verifier verifier(Instant at) {
        SigningIdentity identity = new SigningIdentity(KEY, SECRET, Optional.empty(), PRINCIPAL);
        return new SigV4Verifier(id -> id.equals(KEY) ? Optional.of(identity) : Optional.empty(),
                Clock.fixed(at, ZoneOffset.UTC));
    }

    /** The request as the server sees it: a GET with the Host header a WebSocket client sends. */
    private static HttpRequest asReceived(URI url) {
        return new HttpRequest("GET", url.getRawPath(), url.getRawQuery(), Headers.of("Host", url.getAuthority()),
                new byte[0]);
    }
}
