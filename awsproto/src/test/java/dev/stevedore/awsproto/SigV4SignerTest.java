package dev.stevedore.awsproto;

import static dev.stevedore.awsproto.Signing.ALICE;
import static dev.stevedore.awsproto.Signing.ALICE_CREDENTIALS;
import static dev.stevedore.awsproto.Signing.ALICE_KEY;
import static dev.stevedore.awsproto.Signing.CLOCK;
import static dev.stevedore.awsproto.Signing.KEYS;
import static dev.stevedore.awsproto.Signing.NOW;
import static dev.stevedore.awsproto.Signing.ROLE;
import static dev.stevedore.awsproto.Signing.SESSION_CREDENTIALS;
import static dev.stevedore.awsproto.Signing.SESSION_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Stevedore's client-side signer against the server's verifier, which checks these requests with the
 * AWS SDK's own signer (an independent implementation), and against that signer's output directly.
 */
class SigV4SignerTest {

    private static final URI ENDPOINT = URI.create("http://localhost:4566/");
    private static final String BODY = "{\"cluster\":\"default\",\"containerInstance\":\"arn:aws:ecs:x\"}";

    private final SigV4Verifier verifier = new SigV4Verifier(KEYS, CLOCK);
    private final SigV4Signer alice = signer(ALICE_KEY);
    private final SigV4Signer session = signer(SESSION_KEY);

    @Nested
    class HeaderForm {

        @Test
        void theVerifierAcceptsItAsTheCallersPrincipal() {
            HttpRequest request = signedCall(alice, BODY);
            // The verifier checks it with the SDK's signer, not with the code this signer shares.
            assertThat(SdkSigV4.canReproduce(SigV4Auth.parse(request))).isTrue();

            VerifiedRequest verified = verifier.verify(request, "ecs");

            assertThat(verified).isEqualTo(new VerifiedRequest(ALICE, "us-east-1", "ecs"));
        }

        @Test
        void theVerifierAcceptsSessionCredentialsWithTheirSignedToken() {
            HttpRequest request = signedCall(session, BODY);

            assertThat(request.header("X-Amz-Security-Token")).contains(SESSION_KEY.sessionToken().orElseThrow());
            assertThat(request.header("Authorization").orElseThrow()).contains("x-amz-security-token");
            assertThat(verifier.verify(request, "ecs").principal()).isEqualTo(ROLE);
        }

        @Test
        void itSignsExactlyAsTheSdkSignerDoes() {
            HttpRequest ours = signedCall(alice, BODY);
            HttpRequest sdks = Signing.sdkSigned(Signing.ecsCall("DiscoverPollEndpoint"), BODY, ALICE_CREDENTIALS,
                    "us-east-1", "ecs", NOW);

            assertThat(ours.header("Authorization")).isEqualTo(sdks.header("Authorization"));
            assertThat(ours.header("x-amz-content-sha256")).isEqualTo(sdks.header("x-amz-content-sha256"));
        }

        @Test
        void itSignsSessionCredentialsExactlyAsTheSdkSignerDoes() {
            HttpRequest ours = signedCall(session, BODY);
            HttpRequest sdks = Signing.sdkSigned(Signing.ecsCall("DiscoverPollEndpoint"), BODY, SESSION_CREDENTIALS,
                    "us-east-1", "ecs", NOW);

            assertThat(ours.header("Authorization")).isEqualTo(sdks.header("Authorization"));
        }

        @Test
        void aWrongSecretIsRefused() {
            SigV4Signer impostor = new SigV4Signer(new SigV4Credentials(ALICE_KEY.accessKeyId(), "not-alice's-secret",
                    ALICE_KEY.sessionToken()), "us-east-1", "ecs");

            assertMismatch(signedCall(impostor, BODY));
        }

        @Test
        void aBodyChangedAfterSigningIsRefused() {
            HttpRequest request = signedCall(alice, BODY);

            assertMismatch(request.withBody(BODY.replace("default", "other").getBytes(StandardCharsets.UTF_8)));
        }

        @Test
        void theHostCarriesThePortOnlyWhenItIsNotTheDefault() {
            assertThat(SigV4Signer.hostHeader(URI.create("http://127.0.0.1:9400/"))).isEqualTo("127.0.0.1:9400");
            assertThat(SigV4Signer.hostHeader(URI.create("http://example.test:80/"))).isEqualTo("example.test");
            assertThat(SigV4Signer.hostHeader(URI.create("https://example.test:443"))).isEqualTo("example.test");
            assertThat(SigV4Signer.hostHeader(URI.create("https://example.test:80"))).isEqualTo("example.test:80");
        }
    }

    @Nested
    class Presigned {

        private static final URI CHANNEL = URI.create(
                "http://127.0.0.1:9400/agent/v1/connect?containerInstance=arn%3Aaws%3Aecs%3Aus-east-1%3A1%3Acontainer-instance%2Fdefault%2Fabc");

        @Test
        void theVerifierAcceptsIt() {
            URI url = alice.presign("GET", CHANNEL, Duration.ofMinutes(1), NOW);

            assertThat(SdkSigV4.canReproduce(SigV4Auth.parse(received(url)))).isTrue();
            assertThat(url.getRawQuery()).contains("X-Amz-Expires=60", "X-Amz-SignedHeaders=host",
                    "containerInstance=arn%3Aaws%3Aecs%3Aus-east-1%3A1%3Acontainer-instance%2Fdefault%2Fabc");
            assertThat(verifier.verify(received(url), "ecs").principal()).isEqualTo(ALICE);
        }

        @Test
        void theVerifierAcceptsSessionCredentialsWithTheTokenInTheQuery() {
            URI url = session.presign("GET", CHANNEL, Duration.ofMinutes(1), NOW);

            assertThat(url.getQuery()).contains("X-Amz-Security-Token=" + SESSION_KEY.sessionToken().orElseThrow());
            assertThat(verifier.verify(received(url), "ecs").principal()).isEqualTo(ROLE);
        }

        @Test
        void itSignsExactlyAsTheSdkSignerDoes() {
            SdkHttpRequest.Builder get = SdkHttpRequest.builder().method(SdkHttpMethod.GET).protocol("http")
                    .host("127.0.0.1").port(9400).encodedPath("/agent/v1/connect")
                    .appendRawQueryParameter("containerInstance", "arn:aws:ecs:us-east-1:1:container-instance/default/abc");
            HttpRequest sdks = Signing.sdkPresigned(get, SESSION_CREDENTIALS, Duration.ofMinutes(1), NOW);
            HttpRequest ours = received(session.presign("GET", CHANNEL, Duration.ofMinutes(1), NOW));

            assertThat(parameter(ours, "X-Amz-Signature")).isEqualTo(parameter(sdks, "X-Amz-Signature"));
        }

        @Test
        void aWrongSecretIsRefused() {
            SigV4Signer impostor = new SigV4Signer(new SigV4Credentials(ALICE_KEY.accessKeyId(), "not-alice's-secret",
                    ALICE_KEY.sessionToken()), "us-east-1", "ecs");

            assertMismatch(received(impostor.presign("GET", CHANNEL, Duration.ofMinutes(1), NOW)));
        }

        @Test
        void itExpiresAfterItsValidity() {
            HttpRequest request = received(alice.presign("GET", CHANNEL, Duration.ofMinutes(1), NOW));
            SigV4Verifier later = new SigV4Verifier(KEYS, Clock.fixed(NOW.plusSeconds(61), ZoneOffset.UTC));

            assertThatThrownBy(() -> later.verify(request, "ecs")).isInstanceOfSatisfying(SigV4Exception.class,
                    e -> assertThat(e.reason()).isEqualTo(SigV4Exception.Reason.SIGNATURE_EXPIRED));
        }

        @Test
        void aValidityOutsideOneSecondToSevenDaysIsAMistake() {
            assertThatThrownBy(() -> alice.presign("GET", CHANNEL, Duration.ofDays(8), NOW))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> alice.presign("GET", CHANNEL, Duration.ofMillis(500), NOW))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        private static String parameter(HttpRequest request, String name) {
            return SigV4Encoding.parseQuery(request.rawQuery()).stream().filter(p -> p.getKey().equals(name))
                    .map(java.util.Map.Entry::getValue).findFirst().orElseThrow();
        }
    }

    private static SigV4Signer signer(SigningIdentity key) {
        return new SigV4Signer(new SigV4Credentials(key.accessKeyId(), key.secretAccessKey(), key.sessionToken()),
                "us-east-1", "ecs");
    }

    /** An ECS call as the server receives it: the signer's headers plus the Host the HTTP client adds. */
    private static HttpRequest signedCall(SigV4Signer signer, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Headers headers = signer.sign("POST", ENDPOINT, Headers.of("Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Target", Signing.ECS_TARGET + ".DiscoverPollEndpoint"), bytes, NOW);
        assertThat(headers.contains("Host")).isFalse();
        return new HttpRequest("POST", "/", "", headers.with("Host", "localhost:4566")
                .with("Content-Length", Integer.toString(bytes.length)).with("User-Agent", "stevedore-test"), bytes);
    }

    /** A presigned GET as the server receives it: only the Host header a WebSocket client sends. */
    private static HttpRequest received(URI url) {
        return new HttpRequest("GET", url.getRawPath(), url.getRawQuery(), Headers.of("Host", url.getRawAuthority()),
                new byte[0]);
    }

    private void assertMismatch(HttpRequest request) {
        assertThatThrownBy(() -> verifier.verify(request, "ecs")).isInstanceOfSatisfying(SigV4Exception.class,
                e -> assertThat(e.reason()).isEqualTo(SigV4Exception.Reason.SIGNATURE_MISMATCH));
    }
}
