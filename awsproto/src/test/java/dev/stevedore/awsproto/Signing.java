package dev.stevedore.awsproto;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

/** Requests signed the way real clients sign them, with known keys and a fixed time. */
final class Signing {

    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String ECS_TARGET = "AmazonEC2ContainerServiceV20141113";

    static final Principal ALICE = new Principal("123456789012", "AKIDALICE", "arn:aws:iam::123456789012:user/alice");
    static final SigningIdentity ALICE_KEY =
            new SigningIdentity("AKIDALICE", "alice/secret+key", Optional.empty(), ALICE);
    static final Principal ROLE = new Principal("123456789012", "ASIASESSION",
            "arn:aws:sts::123456789012:assumed-role/deployer/session");
    static final SigningIdentity SESSION_KEY =
            new SigningIdentity("ASIASESSION", "session-secret", Optional.of("FwoGZXIvYXdzEBYaDH//token=="), ROLE);

    static final AwsCredentialsIdentity ALICE_CREDENTIALS = AwsCredentialsIdentity.create("AKIDALICE", "alice/secret+key");
    static final AwsCredentialsIdentity SESSION_CREDENTIALS =
            AwsSessionCredentialsIdentity.create("ASIASESSION", "session-secret", "FwoGZXIvYXdzEBYaDH//token==");

    static final CredentialsLookup KEYS = CredentialsLookup.of(ALICE_KEY, SESSION_KEY);

    private Signing() {
    }

    /** The unsigned shape of an ECS call as the SDKs send it. */
    static SdkHttpRequest.Builder ecsCall(String operation) {
        return SdkHttpRequest.builder().method(SdkHttpMethod.POST).protocol("http").host("localhost").port(4566)
                .encodedPath("/")
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", ECS_TARGET + "." + operation);
    }

    /** The unsigned shape of a Query-style call (EC2, IAM, STS) as the SDKs send it. */
    static SdkHttpRequest.Builder formCall() {
        return SdkHttpRequest.builder().method(SdkHttpMethod.POST).protocol("http").host("localhost").port(4566)
                .encodedPath("/").putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    }

    /** Signs in header form with the SDK's {@link AwsV4HttpSigner}, as the AWS SDK for Java v2 does. */
    static HttpRequest sdkSigned(SdkHttpRequest.Builder request, String body, AwsCredentialsIdentity credentials,
                                 String region, String service, Instant at) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(SignRequest.builder(credentials)
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))
                .build()).request();
        return toRequest(signed, bytes);
    }

    static HttpRequest sdkSigned(String operation, String body) {
        return sdkSigned(ecsCall(operation), body, ALICE_CREDENTIALS, "us-east-1", "ecs", NOW);
    }

    /** Presigns with the SDK's signer (query-string form). */
    static HttpRequest sdkPresigned(SdkHttpRequest.Builder request, AwsCredentialsIdentity credentials,
                                    Duration validity, Instant at) {
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(SignRequest.builder(credentials)
                .request(request.build())
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecs")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, validity)
                .build()).request();
        return toRequest(signed, new byte[0]);
    }

    /**
     * Signs with the SDK's older, independent SigV4 implementation, which like botocore (the AWS CLI),
     * Go and JavaScript does not sign {@code x-amz-content-sha256} for non-S3 services.
     */
    @SuppressWarnings("deprecation")
    static HttpRequest cliStyleSigned(SdkHttpRequest.Builder request, String body, AwsCredentials credentials,
                                      Instant at) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest full = SdkHttpFullRequest.builder()
                .method(request.method()).protocol(request.protocol()).host(request.host()).port(request.port())
                .encodedPath(request.encodedPath()).rawQueryParameters(request.rawQueryParameters())
                .headers(request.headers())
                .contentStreamProvider(() -> new ByteArrayInputStream(bytes))
                .build();
        SdkHttpFullRequest signed = Aws4Signer.create().sign(full, Aws4SignerParams.builder()
                .awsCredentials(credentials).signingName("ecs").signingRegion(Region.US_EAST_1)
                .signingClockOverride(Clock.fixed(at, ZoneOffset.UTC)).build());
        return toRequest(signed, bytes);
    }

    static HttpRequest cliStyleSigned(String operation, String body) {
        return cliStyleSigned(ecsCall(operation), body, AwsBasicCredentials.create("AKIDALICE", "alice/secret+key"), NOW);
    }

    static AwsCredentials cliSessionCredentials() {
        return AwsSessionCredentials.create("ASIASESSION", "session-secret", "FwoGZXIvYXdzEBYaDH//token==");
    }

    static HttpRequest toRequest(SdkHttpRequest signed, byte[] body) {
        Headers.Builder headers = Headers.builder();
        signed.forEachHeader((name, values) -> values.forEach(value -> headers.add(name, value)));
        String rawQuery = Optional.ofNullable(signed.getUri().getRawQuery()).orElse("");
        return new HttpRequest(signed.method().name(), signed.encodedPath(), rawQuery, headers.build(), body);
    }

    static Map<String, String> errorBody(HttpResponse response) {
        try {
            return AwsJson.mapper().readValue(response.body(),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
        } catch (java.io.IOException e) {
            throw new AssertionError(response.bodyAsString(), e);
        }
    }
}
