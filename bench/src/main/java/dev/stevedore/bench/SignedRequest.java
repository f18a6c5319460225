package dev.stevedore.bench;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * An ECS call signed once with the AWS SDK's SigV4 signer. The server verifies the signature of
 * every request it receives, so replaying one signed request (valid for five minutes) measures the
 * server's full cost while keeping the load generator's own cost low.
 */
public record SignedRequest(String operation, HttpRequest request) {
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection");

    static SignedRequest sign(URI endpoint, String accessKey, String secretKey, String region,
                              String operation, String body) {
        return sign(endpoint, AwsBasicCredentials.create(accessKey, secretKey), region, operation, body);
    }

    /** Signed with any credentials; session credentials add their token as a signed header, as the SDK does. */
    static SignedRequest sign(URI endpoint, AwsCredentialsIdentity credentials, String region,
                              String operation, String body) {
        return signJson(endpoint, credentials, region, "ecs", "AmazonEC2ContainerServiceV20141113", operation, body);
    }

    /** An awsJson call of any service: {@code targetPrefix.operation}, signed for {@code signingName}. */
    public static SignedRequest signJson(URI endpoint, AwsCredentialsIdentity credentials, String region,
                                         String signingName, String targetPrefix, String operation, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .encodedPath("/")
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", targetPrefix + "." + operation)
                .contentStreamProvider(ContentStreamProvider.fromByteArray(bytes))
                .build();
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials)
                .request(unsigned)
                .payload(unsigned.contentStreamProvider().orElseThrow())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve("/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.request().headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase())) {
                values.forEach(v -> b.header(name, v));
            }
        });
        return new SignedRequest(operation, b.build());
    }
}
