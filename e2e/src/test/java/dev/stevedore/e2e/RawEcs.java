package dev.stevedore.e2e;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.ContentStreamProvider;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Hand-made requests to the ECS endpoint, signed with the AWS SDK's own SigV4 signer, for the
 * inputs no SDK would send: garbage, wrong types, huge or deeply nested bodies.
 */
final class RawEcs {
    static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";

    private final URI endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    RawEcs(URI endpoint) {
        this.endpoint = endpoint;
    }

    record Response(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    Response call(String operation, String body) {
        return send(sign(operation, "application/x-amz-json-1.1", body.getBytes(StandardCharsets.UTF_8)));
    }

    Response callBytes(String operation, String contentType, byte[] body) {
        return send(sign(operation, contentType, body));
    }

    Response unsigned(String operation, String body) {
        SdkHttpFullRequest request = base(operation, "application/x-amz-json-1.1", body.getBytes(StandardCharsets.UTF_8));
        return send(new Prepared(request, body.getBytes(StandardCharsets.UTF_8)));
    }

    private record Prepared(SdkHttpRequest request, byte[] body) {
    }

    private SdkHttpFullRequest base(String operation, String contentType, byte[] body) {
        return SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .encodedPath("/")
                .putHeader("Content-Type", contentType)
                .putHeader("X-Amz-Target", TARGET_PREFIX + operation)
                .contentStreamProvider(ContentStreamProvider.fromByteArray(body))
                .build();
    }

    private Prepared sign(String operation, String contentType, byte[] body) {
        SdkHttpFullRequest request = base(operation, contentType, body);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(InProcessStevedore.ACCESS_KEY, InProcessStevedore.SECRET_KEY))
                .request(request)
                .payload(request.contentStreamProvider().orElseThrow())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ecs")
                .putProperty(AwsV4HttpSigner.REGION_NAME, InProcessStevedore.REGION));
        return new Prepared(signed.request(), body);
    }

    private Response send(Prepared prepared) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve("/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(prepared.body()));
        prepared.request().headers().forEach((name, values) -> {
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
