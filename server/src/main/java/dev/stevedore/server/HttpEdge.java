package dev.stevedore.server;

import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.HttpResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The HTTP listener in front of the API: Vert.x reads the request, the blocking API code runs on a
 * virtual thread, and the answer goes back on the connection's event loop. Vert.x stays here and
 * never reaches the domain code.
 */
public final class HttpEdge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEdge.class);
    /** Larger bodies are refused before they are buffered; no API call needs more. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final Vertx vertx;
    private final HttpServer server;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Function<HttpRequest, HttpResponse> api;

    private HttpEdge(Vertx vertx, HttpServer server, Function<HttpRequest, HttpResponse> api) {
        this.vertx = vertx;
        this.server = server;
        this.api = api;
    }

    /** Starts listening; returns once the port is bound. WebSocket upgrades are refused. */
    public static HttpEdge start(String host, int port, Function<HttpRequest, HttpResponse> api) {
        return start(host, port, api, (vertx, server) -> server.webSocketHandshakeHandler(h -> h.reject(404)));
    }

    /**
     * Starts listening; returns once the port is bound.
     *
     * @param upgrades installs the WebSocket endpoints (handshake handler) on the server before it listens
     */
    public static HttpEdge start(String host, int port, Function<HttpRequest, HttpResponse> api,
                                 BiConsumer<Vertx, HttpServer> upgrades) {
        Vertx vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setMaxInitialLineLength(16 * 1024)
                .setMaxHeaderSize(64 * 1024)
                .setCompressionSupported(false));
        HttpEdge edge = new HttpEdge(vertx, server, api);
        server.requestHandler(edge::onRequest);
        upgrades.accept(vertx, server);
        try {
            server.listen().toCompletionStage().toCompletableFuture().join();
        } catch (RuntimeException e) {
            vertx.close();
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return edge;
    }

    public int port() {
        return server.actualPort();
    }

    private void onRequest(HttpServerRequest req) {
        // An oversized body is read to its end and dropped rather than cut off, so that the client,
        // still sending, gets to read the error instead of a reset connection.
        Buffer body = Buffer.buffer();
        boolean[] overflow = {false};
        req.handler(chunk -> {
            if (!overflow[0] && body.length() + chunk.length() > MAX_BODY_BYTES) {
                overflow[0] = true;
            } else if (!overflow[0]) {
                body.appendBuffer(chunk);
            }
        });
        req.exceptionHandler(e -> LOG.debug("request failed while reading: {}", e.toString()));
        req.endHandler(v -> {
            if (overflow[0]) {
                reply(req, tooLarge());
                return;
            }
            HttpRequest request = toRequest(req, body.getBytes());
            workers.execute(() -> {
                HttpResponse response;
                try {
                    response = api.apply(request);
                } catch (RuntimeException | Error e) {
                    // The front door turns every failure into an AWS error; this is the last resort.
                    LOG.error("unhandled failure for {} {}", request.method(), request.path(), e);
                    response = internalError();
                }
                HttpResponse finalResponse = response;
                vertx.runOnContext(x -> reply(req, finalResponse));
            });
        });
    }

    private static HttpRequest toRequest(HttpServerRequest req, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        req.headers().forEach(e -> headers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        // HTTP/2 (also reached by an h2c upgrade) carries the host as :authority, not as a header;
        // SigV4 signs "host", so give the verifier the header the client signed.
        if (req.headers().get("Host") == null && req.authority() != null) {
            headers.put("host", List.of(req.authority().toString()));
        }
        String uri = req.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? "" : uri.substring(q + 1);
        return new HttpRequest(req.method().name(), path, query, Headers.of(headers), body);
    }

    private static void reply(HttpServerRequest req, HttpResponse response) {
        var out = req.response().setStatusCode(response.status());
        response.headers().forEach(out::putHeader);
        out.end(Buffer.buffer(response.body()));
    }

    private static HttpResponse tooLarge() {
        return jsonError(413, "SerializationException",
                "Request body is larger than the " + MAX_BODY_BYTES + " bytes an API call may carry.");
    }

    private static HttpResponse internalError() {
        return jsonError(500, "ServerException", "The server encountered an internal error.");
    }

    private static HttpResponse jsonError(int status, String code, String message) {
        String body = "{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}";
        return new HttpResponse(status, Map.of(
                "Content-Type", "application/x-amz-json-1.1",
                "x-amzn-RequestId", UUID.randomUUID().toString(),
                "X-Amzn-ErrorType", code), body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().join();
        workers.shutdown();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
