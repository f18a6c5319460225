package dev.stevedore.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.SigV4Verifier;
import dev.stevedore.awsproto.SigningIdentity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A loopback server standing in for the control plane's other services: it keeps what arrives and
 * answers from a script ({@code 200 {}} when the script is empty), each answer with a request id
 * {@code req-N}.
 */
final class ScriptedEndpoint implements AutoCloseable {

    /** One scripted answer: its status and body. */
    record Answer(int status, String body) {}

    private final List<HttpRequest> received = new ArrayList<>();
    private final Deque<Answer> answers = new ArrayDeque<>();
    private final HttpServer server;

    ScriptedEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Headers.Builder headers = Headers.builder();
            exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
            Answer answer;
            int number;
            synchronized (this) {
                received.add(new HttpRequest("POST", exchange.getRequestURI().getRawPath(), "", headers.build(),
                        exchange.getRequestBody().readAllBytes()));
                answer = answers.isEmpty() ? new Answer(200, "{}") : answers.poll();
                number = received.size();
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("x-amzn-RequestId", "req-" + number);
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized void answer(int status, String body) {
        answers.add(new Answer(status, body));
    }

    synchronized List<HttpRequest> received() {
        return List.copyOf(received);
    }

    /** Asserts that {@code request} is signed for {@code service} in {@code region} with these keys. */
    static void assertSignedBy(HttpRequest request, String accessKeyId, String secretAccessKey, Optional<String> sessionToken,
                               Principal principal, String service, String region) {
        SigningIdentity identity = new SigningIdentity(accessKeyId, secretAccessKey, sessionToken, principal);
        SigV4Verifier verifier = new SigV4Verifier(id -> id.equals(accessKeyId) ? Optional.of(identity) : Optional.empty(),
                Clock.systemUTC());
        assertThat(verifier.verify(request, service).principal()).isEqualTo(principal);
        assertThat(request.header("Authorization").orElseThrow()).contains("/" + region + "/" + service + "/aws4_request");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
