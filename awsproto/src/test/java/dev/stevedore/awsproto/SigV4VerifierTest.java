package dev.stevedore.awsproto;

import static dev.stevedore.awsproto.Signing.ALICE;
import static dev.stevedore.awsproto.Signing.ALICE_CREDENTIALS;
import static dev.stevedore.awsproto.Signing.CLOCK;
import static dev.stevedore.awsproto.Signing.KEYS;
import static dev.stevedore.awsproto.Signing.NOW;
import static dev.stevedore.awsproto.Signing.ROLE;
import static dev.stevedore.awsproto.Signing.SESSION_CREDENTIALS;
import static dev.stevedore.awsproto.Signing.ecsCall;
import static dev.stevedore.awsproto.Signing.sdkSigned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

class SigV4VerifierTest {

    private final SigV4Verifier verifier = new SigV4Verifier(KEYS, CLOCK);

    @Nested
    class Accepts {

        @Test
        void requestSignedByTheSdkSignerYieldsPrincipalRegionAndService() {
            HttpRequest request = sdkSigned(ecsCall("ListClusters"), "{}", ALICE_CREDENTIALS, "eu-west-3", "ecs", NOW);

            VerifiedRequest verified = verifier.verify(request, "ecs");

            assertThat(verified).isEqualTo(new VerifiedRequest(ALICE, "eu-west-3", "ecs"));
        }

        @Test
        void sessionCredentialsWithTheirSignedToken() {
            HttpRequest request = sdkSigned(ecsCall("ListClusters"), "{}", SESSION_CREDENTIALS, "us-east-1", "ecs", NOW);

            assertThat(request.headers().first("X-Amz-Security-Token")).contains("FwoGZXIvYXdzEBYaDH//token==");
            assertThat(verifier.verify(request).principal()).isEqualTo(ROLE);
        }

        @Test
        void cliStyleSignatureWithoutContentSha256() {
            HttpRequest request = Signing.cliStyleSigned("RunTask", "{\"taskDefinition\":\"web:3\"}");

            assertThat(request.header("Authorization").orElseThrow()).doesNotContain("x-amz-content-sha256");
            assertThat(SdkSigV4.canReproduce(SigV4Auth.parse(request))).isFalse();
            assertThat(verifier.verify(request, "ecs").principal()).isEqualTo(ALICE);
        }

        @Test
        void cliStyleSignatureWithSessionToken() {
            HttpRequest request = Signing.cliStyleSigned(ecsCall("ListClusters"), "{}",
                    Signing.cliSessionCredentials(), NOW);

            assertThat(verifier.verify(request).principal()).isEqualTo(ROLE);
        }

        @Test
        void unsignedHeadersAddedOnTheWayAreIgnored() {
            HttpRequest request = sdkSigned("ListClusters", "{}");
            HttpRequest proxied = request.withHeaders(request.headers()
                    .with("User-Agent", "aws-cli/2.15").with("X-Forwarded-For", "10.0.0.1").with("Connection", "close"));

            assertThat(verifier.verify(proxied).principal()).isEqualTo(ALICE);
        }

        @Test
        void pathAndQueryNeedingEncoding() {
            HttpRequest request = sdkSigned(ecsCall("ListClusters").method(SdkHttpMethod.GET)
                            .encodedPath("/2015-02-01/file%20systems/fs-1")
                            .putRawQueryParameter("MaxItems", "10")
                            .putRawQueryParameter("Marker", "a b/c~d+e"),
                    "", ALICE_CREDENTIALS, "us-east-1", "ecs", NOW);

            assertThat(verifier.verify(request).principal()).isEqualTo(ALICE);
        }

        @Test
        void signingTimeWithinFiveMinutesEitherWay() {
            HttpRequest early = sdkSigned(ecsCall("ListClusters"), "{}", ALICE_CREDENTIALS, "us-east-1", "ecs",
                    NOW.minus(Duration.ofMinutes(4)));
            HttpRequest late = sdkSigned(ecsCall("ListClusters"), "{}", ALICE_CREDENTIALS, "us-east-1", "ecs",
                    NOW.plus(Duration.ofMinutes(4)));

            assertThat(verifier.verify(early).principal()).isEqualTo(ALICE);
            assertThat(verifier.verify(late).principal()).isEqualTo(ALICE);
        }

        @Test
        void presignedRequest() {
            HttpRequest request = Signing.sdkPresigned(ecsCall("ListClusters").method(SdkHttpMethod.GET),
                    ALICE_CREDENTIALS, Duration.ofMinutes(15), NOW.minus(Duration.ofMinutes(10)));

            assertThat(request.rawQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=900");
            assertThat(verifier.verify(request, "ecs").principal()).isEqualTo(ALICE);
        }

        @Test
        void presignedRequestWithSessionToken() {
            HttpRequest request = Signing.sdkPresigned(ecsCall("ListClusters").method(SdkHttpMethod.GET),
                    SESSION_CREDENTIALS, Duration.ofMinutes(15), NOW);

            assertThat(request.rawQuery()).contains("X-Amz-Security-Token=");
            assertThat(verifier.verify(request).principal()).isEqualTo(ROLE);
        }
    }

    /** The hand-written path must agree with the SDK wherever both apply. */
    @Nested
    class HandWrittenCanonicalisation {

        @Test
        void agreesWithTheSdkSignerInHeaderForm() {
            HttpRequest request = sdkSigned(ecsCall("RunTask").putRawQueryParameter("x", "1 2"),
                    "{\"count\":2}", SESSION_CREDENTIALS, "ap-south-1", "ecs", NOW);
            SigV4Auth auth = SigV4Auth.parse(request);

            assertThat(SdkSigV4.signature(request, auth, "session-secret")).contains(auth.signature());
            assertThat(ManualSigV4.signature(request, auth, "session-secret")).isEqualTo(auth.signature());
        }

        @Test
        void agreesWithTheSdkSignerInPresignedForm() {
            HttpRequest request = Signing.sdkPresigned(ecsCall("ListClusters").method(SdkHttpMethod.GET)
                    .encodedPath("/a/./b/../c"), ALICE_CREDENTIALS, Duration.ofMinutes(5), NOW);
            SigV4Auth auth = SigV4Auth.parse(request);

            assertThat(SdkSigV4.signature(request, auth, "alice/secret+key")).contains(auth.signature());
            assertThat(ManualSigV4.signature(request, auth, "alice/secret+key")).isEqualTo(auth.signature());
        }
    }

    @Nested
    class Refuses {

        @Test
        void requestWithoutAnyAuthentication() {
            HttpRequest request = HttpRequest.post(Headers.of("X-Amz-Target", "T.ListClusters"), "{}");

            assertRefused(() -> verifier.verify(request), "MissingAuthenticationTokenException",
                    "Missing Authentication Token");
        }

        @Test
        void unknownAccessKey() {
            HttpRequest request = sdkSigned(ecsCall("ListClusters"), "{}",
                    AwsCredentialsIdentity.create("AKIDNOBODY", "x"), "us-east-1", "ecs", NOW);

            assertRefused(() -> verifier.verify(request), "UnrecognizedClientException",
                    "The security token included in the request is invalid.");
        }

        @Test
        void wrongSecret() {
            HttpRequest request = sdkSigned(ecsCall("ListClusters"), "{}",
                    AwsCredentialsIdentity.create("AKIDALICE", "guessed"), "us-east-1", "ecs", NOW);

            assertMismatch(request);
        }

        @Test
        void tamperedBody() {
            HttpRequest request = sdkSigned("RunTask", "{\"taskDefinition\":\"web:3\"}");

            assertMismatch(request.withBody("{\"taskDefinition\":\"evil:1\"}".getBytes(StandardCharsets.UTF_8)));
        }

        @Test
        void tamperedBodyOfCliStyleRequest() {
            HttpRequest request = Signing.cliStyleSigned("RunTask", "{\"taskDefinition\":\"web:3\"}");

            assertMismatch(request.withBody("{\"taskDefinition\":\"evil:1\"}".getBytes(StandardCharsets.UTF_8)));
        }

        @Test
        void tamperedSignedHeader() {
            HttpRequest request = sdkSigned("ListClusters", "{}");

            assertMismatch(request.withHeaders(request.headers().withOnly("X-Amz-Target", Signing.ECS_TARGET + ".DeleteCluster")));
        }

        @Test
        void tamperedContentSha256Header() {
            HttpRequest request = sdkSigned("ListClusters", "{}");

            assertMismatch(request.withHeaders(request.headers().withOnly("x-amz-content-sha256",
                    SigV4Encoding.sha256Hex("{\"other\":1}"))));
        }

        @Test
        void tamperedSignature() {
            HttpRequest request = sdkSigned("ListClusters", "{}");
            String authorization = request.header("Authorization").orElseThrow();
            String forged = authorization.substring(0, authorization.length() - 1)
                    + (authorization.endsWith("0") ? "1" : "0");

            assertMismatch(request.withHeaders(request.headers().withOnly("Authorization", forged)));
        }

        @Test
        void tamperedPresignedQuery() {
            HttpRequest request = Signing.sdkPresigned(ecsCall("ListClusters").method(SdkHttpMethod.GET)
                    .putRawQueryParameter("cluster", "prod"), ALICE_CREDENTIALS, Duration.ofMinutes(5), NOW);

            assertMismatch(request.withRawQuery(request.rawQuery().replace("cluster=prod", "cluster=dev")));
        }

        @Test
        void signatureOlderThanFiveMinutes() {
            HttpRequest request = sdkSigned(ecsCall("ListClusters"), "{}", ALICE_CREDENTIALS, "us-east-1", "ecs",
                    NOW.minus(Duration.ofMinutes(6)));

            assertRefused(() -> verifier.verify(request), "InvalidSignatureException",
                    "Signature expired: 20240501T115400Z is now earlier than 20240501T115500Z (20240501T120000Z - 5 min.)");
        }

        @Test
        void signatureMoreThanFiveMinutesAhead() {
            HttpRequest request = sdkSigned(ecsCall("ListClusters"), "{}", ALICE_CREDENTIALS, "us-east-1", "ecs",
                    NOW.plus(Duration.ofMinutes(6)));

            assertRefused(() -> verifier.verify(request), "InvalidSignatureException",
                    "Signature not yet current: 20240501T120600Z is still later than 20240501T120500Z (20240501T120000Z + 5 min.)");
        }

        @Test
        void expiredPresignedRequest() {
            HttpRequest request = Signing.sdkPresigned(ecsCall("ListClusters").method(SdkHttpMethod.GET),
                    ALICE_CREDENTIALS, Duration.ofMinutes(1), NOW.minus(Duration.ofMinutes(2)));

            assertRefused(() -> verifier.verify(request), "InvalidSignatureException",
                    "Signature expired: 20240501T115800Z is now earlier than 20240501T115900Z (20240501T120000Z - 60 sec.)");
        }

        @Test
        void credentialScopedToAnotherService() {
            HttpRequest request = sdkSigned(ecsCall("ListClusters"), "{}", ALICE_CREDENTIALS, "us-east-1", "logs", NOW);

            assertRefused(() -> verifier.verify(request, "ecs"), "InvalidSignatureException",
                    "Credential should be scoped to correct service: 'ecs'. ");
        }

        @Test
        void credentialScopeDateOtherThanSigningDate() {
            HttpRequest request = sdkSigned("ListClusters", "{}");
            String authorization = request.header("Authorization").orElseThrow().replace("/20240501/", "/20240430/");

            assertRefused(() -> verifier.verify(request.withHeaders(request.headers().withOnly("Authorization", authorization))),
                    "InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                            + "version of date from HTTP: '20240430' != '20240501', from '20240501T120000Z'.");
        }

        @Test
        void credentialScopeWithWrongTerminator() {
            HttpRequest request = withAuthorization("AWS4-HMAC-SHA256 Credential=AKIDALICE/20240501/us-east-1/ecs/aws4_reqest, "
                    + "SignedHeaders=host;x-amz-date, Signature=00");

            assertRefused(() -> verifier.verify(request), "InvalidSignatureException",
                    "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reqest'.");
        }

        @Test
        void sessionKeyWithoutItsToken() {
            HttpRequest request = sdkSigned(ecsCall("ListClusters"), "{}",
                    AwsCredentialsIdentity.create("ASIASESSION", "session-secret"), "us-east-1", "ecs", NOW);

            assertRefused(() -> verifier.verify(request), "UnrecognizedClientException",
                    "The security token included in the request is invalid.");
        }

        @Test
        void sessionKeyWithAnotherToken() {
            HttpRequest request = sdkSigned(ecsCall("ListClusters"), "{}",
                    AwsSessionCredentialsIdentity.create("ASIASESSION", "session-secret", "stolen"), "us-east-1", "ecs", NOW);

            assertRefused(() -> verifier.verify(request), "UnrecognizedClientException",
                    "The security token included in the request is invalid.");
        }

        @Test
        void tokenSentWithAKeyThatHasNone() {
            HttpRequest request = sdkSigned(ecsCall("ListClusters"), "{}",
                    AwsSessionCredentialsIdentity.create("AKIDALICE", "alice/secret+key", "made-up"), "us-east-1", "ecs", NOW);

            assertRefused(() -> verifier.verify(request), "UnrecognizedClientException",
                    "The security token included in the request is invalid.");
        }

        @Test
        void sessionTokenThatIsNotSigned() {
            HttpRequest request = sdkSigned(ecsCall("ListClusters"), "{}",
                    AwsCredentialsIdentity.create("ASIASESSION", "session-secret"), "us-east-1", "ecs", NOW);
            HttpRequest withToken = request.withHeaders(request.headers()
                    .with("X-Amz-Security-Token", "FwoGZXIvYXdzEBYaDH//token=="));

            assertRefused(() -> verifier.verify(withToken), "IncompleteSignatureException",
                    "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.");
        }

        @Test
        void expiredTemporaryCredentials() {
            SigningIdentity expired = new SigningIdentity("ASIAOLD", "s", Optional.of("t"), ROLE,
                    Optional.of(NOW.minusSeconds(1)));
            SigV4Verifier withExpired = new SigV4Verifier(CredentialsLookup.of(expired), CLOCK);
            HttpRequest request = sdkSigned(ecsCall("ListClusters"), "{}",
                    AwsSessionCredentialsIdentity.create("ASIAOLD", "s", "t"), "us-east-1", "ecs", NOW);

            assertRefused(() -> withExpired.verify(request), "ExpiredTokenException",
                    "The security token included in the request is expired");
        }

        @Test
        void authorizationWithoutSignatureAndDate() {
            HttpRequest request = HttpRequest.post(Headers.of("Host", "localhost", "Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIDALICE/20240501/us-east-1/ecs/aws4_request, SignedHeaders=host"), "{}");

            assertRefused(() -> verifier.verify(request), "IncompleteSignatureException",
                    "Authorization header requires 'Signature' parameter. Authorization header requires existence of "
                            + "either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 "
                            + "Credential=AKIDALICE/20240501/us-east-1/ecs/aws4_request, SignedHeaders=host");
        }

        @Test
        void authorizationPartWithoutEqualSign() {
            String header = "AWS4-HMAC-SHA256 Credential=AKIDALICE/20240501/us-east-1/ecs/aws4_request, "
                    + "SignedHeaders=host;x-amz-date, Signature";

            assertRefused(() -> verifier.verify(withAuthorization(header)), "IncompleteSignatureException",
                    "'Signature' not a valid key=value pair (missing equal-sign) in Authorization header: '" + header + "'.");
        }

        @Test
        void credentialWithoutFiveParts() {
            assertRefused(() -> verifier.verify(withAuthorization("AWS4-HMAC-SHA256 Credential=AKIDALICE/20240501/ecs, "
                            + "SignedHeaders=host;x-amz-date, Signature=00")), "IncompleteSignatureException",
                    "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
                            + "got 'AKIDALICE/20240501/ecs'");
        }

        @Test
        void otherAlgorithms() {
            assertRefused(() -> verifier.verify(withAuthorization("AWS AKIDALICE:c2lnbmF0dXJl")),
                    "IncompleteSignatureException", "Unsupported AWS 'algorithm': 'AWS'; only AWS4-HMAC-SHA256 is supported.");
        }

        @Test
        void malformedAmzDate() {
            HttpRequest request = withAuthorization("AWS4-HMAC-SHA256 Credential=AKIDALICE/20240501/us-east-1/ecs/aws4_request, "
                    + "SignedHeaders=host;x-amz-date, Signature=00");

            assertRefused(() -> verifier.verify(request.withHeaders(request.headers().withOnly("X-Amz-Date", "2024-05-01T12:00:00Z"))),
                    "IncompleteSignatureException", "Date must be in ISO-8601 'basic format'. Got '2024-05-01T12:00:00Z'.");
        }

        @Test
        void hostThatIsNotSigned() {
            assertRefused(() -> verifier.verify(withAuthorization("AWS4-HMAC-SHA256 Credential=AKIDALICE/20240501/us-east-1/"
                            + "ecs/aws4_request, SignedHeaders=x-amz-date, Signature=00")),
                    "IncompleteSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }

        @Test
        void headerAndQueryAuthenticationTogether() {
            HttpRequest request = sdkSigned("ListClusters", "{}").withRawQuery("X-Amz-Algorithm=AWS4-HMAC-SHA256");

            assertRefused(() -> verifier.verify(request), "IncompleteSignatureException",
                    "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
        }

        @Test
        void presignedRequestMissingParameters() {
            HttpRequest request = new HttpRequest("GET", "/", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=x",
                    Headers.of("Host", "localhost"), new byte[0]);

            assertRefused(() -> verifier.verify(request), "IncompleteSignatureException",
                    "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', "
                            + "'X-Amz-SignedHeaders' and 'X-Amz-Signature'; 'X-Amz-Date' is missing.");
        }

        @Test
        void signatureCheckedAgainstTheRealClockNotTheRequest() {
            SigV4Verifier tomorrow = new SigV4Verifier(KEYS, Clock.fixed(NOW.plus(Duration.ofDays(1)), ZoneOffset.UTC));

            assertRefused(() -> tomorrow.verify(sdkSigned("ListClusters", "{}")), "InvalidSignatureException",
                    "Signature expired: 20240501T120000Z is now earlier than 20240502T115500Z (20240502T120000Z - 5 min.)");
        }

        private HttpRequest withAuthorization(String authorization) {
            return HttpRequest.post(Headers.of("Host", "localhost", "X-Amz-Date", "20240501T120000Z",
                    "Authorization", authorization), "{}");
        }

        private void assertMismatch(HttpRequest request) {
            assertRefused(() -> verifier.verify(request), "InvalidSignatureException",
                    "The request signature we calculated does not match the signature you provided. Check your AWS "
                            + "Secret Access Key and signing method. Consult the service documentation for details.");
        }

        private void assertRefused(ThrowingCallable call, String code, String message) {
            assertThatThrownBy(call).isInstanceOfSatisfying(SigV4Exception.class, e -> {
                assertThat(e.code()).isEqualTo(code);
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.getMessage()).isEqualTo(message);
            });
        }
    }

    @Test
    void identityNeverPrintsItsSecrets() {
        assertThat(Signing.SESSION_KEY.toString()).doesNotContain("session-secret").doesNotContain("token==");
    }
}
