package dev.stevedore.e2e;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Hand-made POSTs to any of the server's AWS endpoints, signed with the AWS SDK's own SigV4 signer
 * as the root user, for the inputs no SDK would send: garbage, wrong types, huge or deeply nested
 * bodies, wrong content types.
 */
final class RawAws {
    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    RawAws(URI endpoint) {
        this.endpoint = endpoint;
    }

    record Response(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /**
     * One POST to {@code /}.
     *
     * @param signingName the service name in the credential scope ({@code ecs}, {@code iam}, ...)
     * @param headers     the request's headers besides the signature's (content type, target, ...)
     */
    Response post(String signingName, Map<String, String> headers, byte[] body) {
        return send(sign(signingName, headers, body), body);
    }

    /** The same POST without a signature. */
    Response unsigned(Map<String, String> headers, byte[] body) {
        return send(request(headers, body), body);
    }

    private SdkHttpFullRequest request(Map<String, String> headers, byte[] body) {
        SdkHttpFullRequest.Builder b = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .encodedPath("/")
                .contentStreamProvider(ContentStreamProvider.fromByteArray(body));
        headers.forEach(b::putHeader);
        return b.build();
    }

    private SdkHttpRequest sign(String signingName, Map<String, String> headers, byte[] body) {
        SdkHttpFullRequest request = request(headers, body);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(InProcessStevedore.ACCESS_KEY, InProcessStevedore.SECRET_KEY))
                .request(request)
                .payload(request.contentStreamProvider().orElseThrow())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, InProcessStevedore.REGION));
        return signed.request();
    }

    private Response send(SdkHttpRequest request, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve("/"))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        request.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(v -> b.header(name, v));
            }
        });
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new AssertionError("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
