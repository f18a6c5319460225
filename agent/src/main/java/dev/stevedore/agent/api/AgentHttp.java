package dev.stevedore.agent.api;

import dev.stevedore.agent.tls.DeferredTls;
import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.SigV4Credentials;
import dev.stevedore.awsproto.SigV4Signer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP under the agent's calls to the control plane (the ECS API, the instance credentials):
 * one way to make the client, to sign a POST and to wait for its answer, so both clients fail alike.
 */
final class AgentHttp {
    static final String SIGNING_NAME = "ecs";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private AgentHttp() {
    }

    static HttpClient newClient() {
        // HTTP/1.1 as the SDK's client speaks it; over http: the JDK would otherwise try an h2c upgrade first.
        // Virtual threads run the client's completions: its default pool keeps a platform thread per
        // concurrent call alive for a minute, and a burst of task reports made nine of them.
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .sslContext(DeferredTls.context()).sslParameters(DeferredTls.parameters())
                .build();
    }

    /** A POST of {@code body} to {@code target}, SigV4-signed for {@code ecs} with {@code credentials}. */
    static HttpRequest signedPost(URI target, Headers headers, byte[] body, AgentCredentials credentials,
                                  String region, Instant at) {
        return signedPost(target, headers, body, new SigV4Credentials(credentials.accessKeyId(),
                credentials.secretAccessKey(), credentials.sessionToken()), region, SIGNING_NAME, at);
    }

    /** A POST of {@code body} to {@code target}, SigV4-signed for {@code service} (its signing name). */
    static HttpRequest signedPost(URI target, Headers headers, byte[] body, SigV4Credentials credentials,
                                  String region, String service, Instant at) {
        SigV4Signer signer = new SigV4Signer(credentials, region, service);
        Headers signed = signer.sign("POST", target, headers, body, at);
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .timeout(CALL_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.names().forEach(name -> signed.all(name).forEach(value -> builder.header(name, value)));
        return builder.build();
    }

    /** An unsigned POST of a JSON body. */
    static HttpRequest jsonPost(URI target, byte[] body) {
        return HttpRequest.newBuilder(target)
                .timeout(CALL_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** Sends within the call timeout; anything that keeps an answer from arriving is "not answered". */
    static HttpResponse<byte[]> send(HttpClient http, String operation, HttpRequest request) {
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return pending.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new EcsApiException("", false, operation + " failed: no answer within " + CALL_TIMEOUT.toSeconds()
                    + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new EcsApiException("", false, operation + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            pending.cancel(true);
            // The caller's loops check the flag (a sleep after this throws at once).
            Thread.currentThread().interrupt();
            throw new EcsApiException("", false, operation + " failed: interrupted", e);
        }
    }

    /** {@code endpoint} with {@code path} appended to its own path. */
    static URI resolve(URI endpoint, String path) {
        String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
        return URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + base + path);
    }

    static void requireHttp(URI endpoint, String what) {
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("the " + what + " must be an http(s) URL: " + endpoint);
        }
    }
}
