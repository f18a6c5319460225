package dev.stevedore.server;

import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.SigV4Credentials;
import dev.stevedore.awsproto.SigV4Signer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A POST to one of Stevedore's own endpoints ({@code /_stevedore/...}) or APIs, SigV4-signed with the
 * root credentials of the data directory, as the commands that manage a running server ({@code reset},
 * {@code token}) send it, and {@code up} its calls to its own ECR.
 */
final class RootSignedPost {
    private RootSignedPost() {
    }

    static HttpResponse<byte[]> send(ServerTarget target, String path, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        return send(target, path, "ecs", Headers.of("Content-Type", "application/json"), body, timeout);
    }

    /** An awsJson 1.1 call of an AWS API the server serves ({@code X-Amz-Target} {@code Service.Operation}), signed for {@code service}. */
    static HttpResponse<byte[]> call(ServerTarget target, String service, String amzTarget, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        return send(target, "/", service, Headers.of("Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Target", amzTarget), body, timeout);
    }

    private static HttpResponse<byte[]> send(ServerTarget target, String path, String service, Headers headers, byte[] body,
                                             Duration timeout) throws IOException, InterruptedException {
        RootCredentials credentials = target.credentials();
        URI uri = URI.create(target.endpoint() + path);
        Headers signed = new SigV4Signer(new SigV4Credentials(credentials.accessKeyId(),
                credentials.secretAccessKey(), Optional.empty()), target.region(), service)
                .sign("POST", uri, headers, body, Clock.systemUTC().instant());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (String name : signed.names()) {
            signed.all(name).forEach(value -> request.header(name, value));
        }
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }
}
