package dev.stevedore.agent.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CredentialsLookup;
import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.SigV4Verifier;
import dev.stevedore.awsproto.SigningIdentity;
import dev.stevedore.awsproto.VerifiedRequest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The control plane's side of joining, as the HTTP contract has it, on loopback: join tokens it
 * takes once, temporary credentials it issues with a lifetime the test chooses, refreshes it
 * verifies with awsproto's SigV4 verifier over the credentials it issued, and an ECS endpoint
 * ({@code /}) that only verifies and records who signed. What the server saw is recorded for the
 * test thread to assert on.
 */
final class FakeCredentialsServer implements AutoCloseable {
    static final String ACCOUNT = "123456789012";
    static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/ecsInstanceRole";

    enum TokenState { VALID, USED, REVOKED, EXPIRED }

    private record Token(String cluster, TokenState state) {
    }

    private record Issued(SigningIdentity identity, String token) {
    }

    private final HttpServer server;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();
    private final SigV4Verifier verifier;
    private final AtomicInteger keySequence = new AtomicInteger();
    final AtomicInteger joins = new AtomicInteger();
    final AtomicInteger refreshes = new AtomicInteger();
    /** The bodies and content types of the join requests. */
    final List<String> joinRequests = new CopyOnWriteArrayList<>();
    /** Access keys the refreshes were signed with, in order. */
    final List<String> refreshSigners = new CopyOnWriteArrayList<>();
    /** Access keys the ECS calls were signed with, in order. */
    final List<String> ecsSigners = new CopyOnWriteArrayList<>();
    /** Refusals of signatures, for tests that expect none. */
    final List<String> signatureRefusals = new CopyOnWriteArrayList<>();
    volatile Duration lifetime = Duration.ofHours(1);
    /** Answers to the coming refreshes that fail with 500 before one succeeds. */
    final AtomicInteger failingRefreshes = new AtomicInteger();
    /** Counted down when a refresh arrives. */
    final CountDownLatch refreshArrived = new CountDownLatch(1);
    /** When set, refreshes wait for it before answering. */
    volatile CountDownLatch refreshGate;

    FakeCredentialsServer() throws IOException {
        CredentialsLookup lookup = accessKeyId -> Optional.ofNullable(issued.get(accessKeyId)).map(Issued::identity);
        verifier = new SigV4Verifier(lookup, Clock.systemUTC());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/_stevedore/agent/join", this::join);
        server.createContext("/_stevedore/agent/credentials", this::refresh);
        server.createContext("/", this::ecs);
        // A refresh held at its gate must not hold up the other requests.
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void token(String token, String cluster) {
        tokens.put(token, new Token(cluster, TokenState.VALID));
    }

    void setState(String token, TokenState state) {
        tokens.computeIfPresent(token, (t, held) -> new Token(held.cluster(), state));
    }

    private void join(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        joinRequests.add(exchange.getRequestHeaders().getFirst("Content-Type") + " "
                + new String(body, StandardCharsets.UTF_8));
        JsonNode json;
        try {
            json = AwsJson.mapper().readTree(body);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.path("joinToken").isTextual()) {
            answer(exchange, 400, error("InvalidParameterException", "joinToken is required."));
            return;
        }
        String name = json.path("joinToken").asText();
        Token token = tokens.get(name);
        String refusal = token == null ? "The join token is not valid."
                : switch (token.state()) {
                    case USED -> "The join token was already used.";
                    case REVOKED -> "The join token was revoked.";
                    case EXPIRED -> "The join token has expired.";
                    case VALID -> null;
                };
        if (refusal != null) {
            answer(exchange, 403, error("AccessDeniedException", refusal));
            return;
        }
        tokens.put(name, new Token(token.cluster(), TokenState.USED));
        joins.incrementAndGet();
        answer(exchange, 200, issue(name, token.cluster()));
    }

    private void refresh(HttpExchange exchange) throws IOException {
        HttpRequest request = received(exchange);
        refreshArrived.countDown();
        CountDownLatch gate = refreshGate;
        if (gate != null) {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        VerifiedRequest verified;
        try {
            verified = verifier.verify(request, "ecs");
        } catch (AwsException e) {
            signatureRefusals.add(e.code() + ": " + e.getMessage());
            answer(exchange, e.status(), error(e.code(), e.getMessage()));
            return;
        }
        refreshes.incrementAndGet();
        String key = verified.principal().accessKeyId();
        refreshSigners.add(key);
        if (failingRefreshes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(exchange, 500, error("ServerException", "Try again."));
            return;
        }
        Issued by = issued.get(key);
        if (tokens.get(by.token()).state() == TokenState.REVOKED) {
            answer(exchange, 403, error("AccessDeniedException", "The join token of this instance was revoked."));
            return;
        }
        answer(exchange, 200, issue(by.token(), tokens.get(by.token()).cluster()));
    }

    private void ecs(HttpExchange exchange) throws IOException {
        HttpRequest request = received(exchange);
        try {
            ecsSigners.add(verifier.verify(request, "ecs").principal().accessKeyId());
        } catch (AwsException e) {
            signatureRefusals.add(e.code() + ": " + e.getMessage());
            answer(exchange, e.status(), error(e.code(), e.getMessage()));
            return;
        }
        answer(exchange, 200, "{}");
    }

    /** Verifies a presigned channel URL as the channel's handshake would; returns the signing key. */
    String verifyPresigned(URI url) {
        return verifier.verify(new HttpRequest("GET", url.getRawPath(), url.getRawQuery(),
                Headers.of("Host", url.getRawAuthority()), new byte[0]), "ecs").principal().accessKeyId();
    }

    private String issue(String token, String cluster) {
        int n = keySequence.incrementAndGet();
        String key = String.format("ASIAFAKEAGENT%07d", n);
        String secret = "secret/" + n + "/0123456789abcdefghijklmnopqrstuv";
        String sessionToken = "session-token-" + n + "+/=";
        Instant expiration = Instant.now().plus(lifetime);
        Principal principal = new Principal(ACCOUNT, key, "arn:aws:sts::" + ACCOUNT + ":assumed-role/ecsInstanceRole/i-1");
        issued.put(key, new Issued(new SigningIdentity(key, secret, Optional.of(sessionToken), principal,
                Optional.of(expiration)), token));
        return AwsJson.mapper().createObjectNode()
                .put("accessKeyId", key).put("secretAccessKey", secret).put("sessionToken", sessionToken)
                .put("expiration", expiration.toString()).put("roleArn", ROLE_ARN).put("cluster", cluster)
                .toString();
    }

    private static HttpRequest received(HttpExchange exchange) throws IOException {
        Headers.Builder headers = Headers.builder();
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
        String query = exchange.getRequestURI().getRawQuery();
        return new HttpRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                query == null ? "" : query, headers.build(), exchange.getRequestBody().readAllBytes());
    }

    private static String error(String code, String message) {
        return AwsJson.mapper().createObjectNode().put("__type", code).put("message", message).toString();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        CountDownLatch gate = refreshGate;
        if (gate != null) {
            gate.countDown();
        }
        server.stop(0);
    }
}
