package dev.stevedore.server;

import dev.stevedore.awsproto.EdgeRefusals;
import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.HttpResponse;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.ServerWebSocketHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The HTTP listener in front of the API: Vert.x reads the request, the blocking API code runs on a
 * virtual thread, and the answer goes back on the connection's event loop. Vert.x stays here and
 * never reaches the domain code.
 *
 * <p>What the edge takes on at once is bounded ({@link EdgeLimits}): a request past the bound on
 * requests in flight or on buffered body bytes is refused with its protocol's throttling
 * answer ({@link EdgeRefusals}). A body larger than any API call may carry is refused the same way
 * with 413; this is the only body-size check.
 *
 * <p>What becomes of a refused request's body depends on its size. A small one is read and dropped,
 * and the connection is kept. A large one (or one of unknown length) would cost the server as much to
 * drop as to keep: it is answered after a pause with {@code Connection: close}, and the connection is
 * closed once the client has read the answer (see {@link #refuseAndClose}), so that a client that keeps
 * sending 800 KB bodies back to back is held to one per connection per pause and reconnects each time.
 */
public final class HttpEdge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEdge.class);
    /** A request whose body has not arrived by then loses its place: a stalled client cannot hold one forever. */
    static final long BODY_READ_TIMEOUT_MILLIS = 60_000;
    /**
     * A refused request's body up to this size is read to its end and the connection kept: an ordinary
     * call (a few kilobytes, usually whole in the first read) is cheaper to drop than a connection is to
     * open again, and an SDK retrying it reuses its connection.
     */
    static final long DRAINED_BODY_BYTES = 16 * 1024;
    /**
     * How long a connection refused with {@code Connection: close} is kept after its answer has been
     * written, reading and dropping what the client still sends: a client that writes its whole body
     * before reading the answer (most blocking clients) must be able to finish, or it would see a reset
     * instead of the answer. At loopback or LAN speed a body of 2 MiB takes milliseconds.
     */
    static final long LINGER_MILLIS = 2_000;
    /**
     * How long a refused large body waits, unread, before its answer. A client sending large bodies
     * back to back is held to one per connection per pause instead of as many as the server can read
     * and drop, which is what took the cores from everyone else (BENCHMARKS.md, "Overload"); the SDKs
     * back off at least as long before they retry a throttled call. Nothing of the request is held by
     * the server meanwhile, its bytes wait in the socket's buffers (a client that sends faster than it
     * reads is kept waiting by TCP).
     */
    static final long REFUSED_BODY_PAUSE_MILLIS = 1_000;
    /** Connections paused at once; past it refusals are answered at once, so that pauses cannot pile up. */
    static final int MAX_PAUSED_REFUSALS = 1_024;
    private static final byte[] NO_BODY = new byte[0];

    private final Vertx vertx;
    private final HttpServer server;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Function<HttpRequest, HttpResponse> api;
    private final Streams streams;
    private final EdgeBudget budget;
    private final LongAdder throttled = new LongAdder();
    private final LongAdder oversized = new LongAdder();
    private final AtomicInteger pausedRefusals = new AtomicInteger();

    private HttpEdge(Vertx vertx, HttpServer server, Function<HttpRequest, HttpResponse> api, Streams streams,
                     EdgeLimits limits) {
        this.vertx = vertx;
        this.server = server;
        this.api = api;
        this.streams = streams;
        this.budget = new EdgeBudget(limits);
    }

    /** WebSocket endpoints served on the API listener: the handshake handler, made once Vert.x exists. */
    @FunctionalInterface
    public interface Upgrades {
        /** Refuses every upgrade, as a listener without WebSocket endpoints does. */
        Upgrades NONE = vertx -> handshake -> handshake.reject(404);

        Handler<ServerWebSocketHandshake> handler(Vertx vertx);
    }

    /**
     * Requests answered with an {@link EventStream} instead of one whole response (the console's live
     * updates). A stream gives its place among the requests in flight back once it has started: it may
     * stay open for hours and must not count against the bound that protects the API.
     */
    @FunctionalInterface
    public interface Streams {
        Streams NONE = request -> Optional.empty();

        /** The stream that answers {@code request}, or empty when it is an ordinary request. */
        Optional<EventStream> open(HttpRequest request);
    }

    /** Starts listening with the default limits; returns once the port is bound. WebSocket upgrades are refused. */
    public static HttpEdge start(String host, int port, Function<HttpRequest, HttpResponse> api) {
        return start(host, port, api, Upgrades.NONE, Streams.NONE, EdgeLimits.defaults());
    }

    /**
     * Starts listening; returns once the port is bound.
     *
     * @param upgrades the WebSocket endpoints; their handshakes are refused with 503 while the edge is
     *                 at its bound on requests in flight
     */
    public static HttpEdge start(String host, int port, Function<HttpRequest, HttpResponse> api, Upgrades upgrades,
                                 Streams streams, EdgeLimits limits) {
        Vertx vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setMaxInitialLineLength(16 * 1024)
                .setMaxHeaderSize(64 * 1024)
                .setCompressionSupported(false));
        HttpEdge edge = new HttpEdge(vertx, server, api, streams, limits);
        server.requestHandler(edge::onRequest);
        Handler<ServerWebSocketHandshake> handshakes = upgrades.handler(vertx);
        server.webSocketHandshakeHandler(handshake -> {
            if (edge.budget.atRequestBound()) {
                LOG.debug("refused a WebSocket handshake from {}: too many requests in flight", handshake.remoteAddress());
                edge.throttled.increment();
                handshake.reject(503);
            } else {
                handshakes.handle(handshake);
            }
        });
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

    /** Requests admitted and not yet answered (observability and tests). */
    public int requestsInFlight() {
        return budget.requestsInFlight();
    }

    /** Requests and agent channel handshakes refused because the edge was at one of its bounds (metrics). */
    public long throttledRequests() {
        return throttled.sum();
    }

    /** Requests refused with 413 because their body was larger than any API call may carry (metrics). */
    public long oversizedRequests() {
        return oversized.sum();
    }

    /** Body bytes reserved by admitted requests (observability and tests). */
    long bufferedBytes() {
        return budget.bufferedBytes();
    }

    private void onRequest(HttpServerRequest req) {
        HttpRequest head = toRequest(req, NO_BODY);
        long declared = declaredLength(req);
        int maxBody = budget.limits().maxBodyBytes();
        if (declared > maxBody) {
            oversized.increment();
            refuseUnadmitted(req, declared, EdgeRefusals.tooLarge(head, declared, maxBody));
            return;
        }
        Optional<EdgeBudget.Ticket> ticket = budget.admit(Math.max(declared, 0));
        if (ticket.isEmpty()) {
            throttled.increment();
            refuseUnadmitted(req, declared, EdgeRefusals.throttled(head));
            return;
        }
        new BodyReader(req, head, ticket.get()).start();
    }

    /** -1 when the request does not declare its length (chunked) or declares nonsense. */
    private static long declaredLength(HttpServerRequest req) {
        String value = req.getHeader("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Answers a request that was not admitted, at once, keeping its connection only when its body is small. */
    private void refuseUnadmitted(HttpServerRequest req, long declared, HttpResponse refusal) {
        boolean small = declared >= 0 && declared <= DRAINED_BODY_BYTES;
        // An HTTP/2 stream shares its connection with other requests: it is never closed for one of them.
        if (small || req.isEnded() || req.version() == HttpVersion.HTTP_2) {
            discardThenReply(req, refusal);
        } else {
            refuseAndClose(req, refusal);
        }
    }

    // Answered at once; the rest of the body the client is still sending is read without being kept.
    private static void discardThenReply(HttpServerRequest req, HttpResponse refusal) {
        req.handler(chunk -> { });
        req.exceptionHandler(e -> LOG.debug("refused request failed while reading: {}", e.toString()));
        reply(req, refusal);
    }

    /**
     * Answers with {@code Connection: close} after {@link #REFUSED_BODY_PAUSE_MILLIS}, during which the
     * connection is not read; the rest of the body is not waited for. Once the answer is flushed the
     * server's side is shut down (the client reads the answer, then the end of the stream), and what the
     * client still sends is read and dropped until it closes its side or {@link #LINGER_MILLIS} have
     * passed: closing a socket with unread bytes sends a reset, which can reach the client before it has
     * read the answer, so the close waits for the client where it can.
     */
    private void refuseAndClose(HttpServerRequest req, HttpResponse refusal) {
        req.handler(chunk -> { });
        req.exceptionHandler(e -> LOG.debug("refused request failed while reading: {}", e.toString()));
        Optional<Channel> socket = socket(req.connection());
        if (socket.isEmpty()) {
            answerAndClose(req, refusal);
            return;
        }
        if (pausedRefusals.incrementAndGet() > MAX_PAUSED_REFUSALS) {
            pausedRefusals.decrementAndGet();
            answerAndClose(req, refusal);
            return;
        }
        socket.get().config().setAutoRead(false);
        vertx.setTimer(REFUSED_BODY_PAUSE_MILLIS, id -> {
            pausedRefusals.decrementAndGet();
            socket.get().config().setAutoRead(true);
            answerAndClose(req, refusal);
        });
    }

    private void answerAndClose(HttpServerRequest req, HttpResponse refusal) {
        HttpConnection connection = req.connection();
        var out = req.response().setStatusCode(refusal.status());
        refusal.headers().forEach(out::putHeader);
        out.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        out.end(Buffer.buffer(refusal.body())).onComplete(written -> {
            long linger = vertx.setTimer(LINGER_MILLIS, id -> connection.close());
            connection.closeHandler(v -> vertx.cancelTimer(linger));
            if (written.failed() || !shutdownOutput(connection)) {
                connection.close();
            }
        });
    }

    /** Sends the end of the stream (FIN) on an HTTP/1.x connection's socket, keeping its reading side open. */
    private static boolean shutdownOutput(HttpConnection connection) {
        if (socket(connection).orElse(null) instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
            return true;
        }
        return false;
    }

    /** The connection's socket: Vert.x neither half-closes an HTTP connection nor stops reading one; Netty does. */
    private static Optional<Channel> socket(HttpConnection connection) {
        return connection instanceof io.vertx.core.http.impl.HttpServerConnection internal
                ? Optional.of(internal.channelHandlerContext().channel())
                : Optional.empty();
    }

    /** Reads one admitted request's body into memory its ticket has reserved, then runs the request. */
    private final class BodyReader {
        private final HttpServerRequest req;
        private final HttpRequest head;
        private final EdgeBudget.Ticket ticket;
        private final Context context;
        private Buffer body = Buffer.buffer();
        private Optional<HttpResponse> refusal = Optional.empty();
        private long deadline;

        BodyReader(HttpServerRequest req, HttpRequest head, EdgeBudget.Ticket ticket) {
            this.req = req;
            this.head = head;
            this.ticket = ticket;
            this.context = vertx.getOrCreateContext();
        }

        void start() {
            deadline = vertx.setTimer(BODY_READ_TIMEOUT_MILLIS, id -> {
                LOG.debug("closed a connection whose request body did not arrive in time");
                ticket.release();
                req.connection().close();
            });
            req.handler(this::onChunk);
            req.exceptionHandler(e -> {
                vertx.cancelTimer(deadline);
                ticket.release();
                LOG.debug("request failed while reading: {}", e.toString());
            });
            req.endHandler(v -> onEnd());
        }

        private void onChunk(Buffer chunk) {
            if (refusal.isPresent()) {
                return;
            }
            long total = (long) body.length() + chunk.length();
            int maxBody = budget.limits().maxBodyBytes();
            if (total > maxBody) {
                oversized.increment();
                refuse(EdgeRefusals.tooLarge(head, -1, maxBody));
            } else if (!ticket.cover(total)) {
                throttled.increment();
                refuse(EdgeRefusals.throttled(head));
            } else {
                body.appendBuffer(chunk);
            }
        }

        // Only undeclared (chunked) bodies get here: a declared length was reserved or refused up front.
        private void refuse(HttpResponse answer) {
            refusal = Optional.of(answer);
            body = Buffer.buffer();
            ticket.release();
        }

        private void onEnd() {
            vertx.cancelTimer(deadline);
            if (refusal.isPresent()) {
                reply(req, refusal.get());
                return;
            }
            HttpRequest request = toRequest(req, body.getBytes());
            body = Buffer.buffer();
            workers.execute(() -> {
                Optional<EventStream> stream = streams.open(request);
                if (stream.isPresent()) {
                    ticket.release();
                    stream(req, context, stream.get());
                    return;
                }
                Optional<HttpResponse> response = run(request);
                ticket.release();
                context.runOnContext(x -> response.ifPresentOrElse(r -> reply(req, r), () -> req.connection().close()));
            });
        }
    }

    /**
     * The front door turns every failure into an answer in the request's protocol, 500s included; so
     * nothing here writes one. Should anything still escape (a bug outside the front door), the
     * connection is closed, so that the client is not left waiting for an answer that never comes.
     */
    private Optional<HttpResponse> run(HttpRequest request) {
        try {
            return Optional.of(api.apply(request));
        } catch (RuntimeException | Error e) {
            LOG.error("unhandled failure for {} {}; closing the connection", request.method(), request.path(), e);
            return Optional.empty();
        }
    }

    /** Runs {@code stream} on this virtual thread, writing its events on the connection's event loop. */
    private static void stream(HttpServerRequest req, Context context, EventStream stream) {
        Thread runner = Thread.currentThread();
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
        context.runOnContext(x -> {
            var out = req.response().setStatusCode(200).setChunked(true)
                    .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-store");
            out.closeHandler(v -> {
                open.set(false);
                runner.interrupt();
            });
            out.write(": stream open\n\n");
        });
        EventStream.Sink sink = new EventStream.Sink() {
            @Override
            public boolean open() {
                return open.get();
            }

            @Override
            public void send(String event, String data) {
                String frame = (event.isEmpty() ? "" : "event: " + event + "\n")
                        + "data: " + data.replace("\n", " ").replace("\r", " ") + "\n\n";
                context.runOnContext(x -> {
                    if (open.get()) {
                        req.response().write(frame);
                    }
                });
            }

            @Override
            public void keepAlive() {
                context.runOnContext(x -> {
                    if (open.get()) {
                        req.response().write(": keep-alive\n\n");
                    }
                });
            }
        };
        try {
            stream.run(sink);
        } catch (InterruptedException e) {
            LOG.debug("event stream of {} ended: the client went away", req.path());
        } catch (RuntimeException e) {
            LOG.warn("event stream of {} failed", req.path(), e);
        }
        context.runOnContext(x -> {
            if (open.getAndSet(false)) {
                req.response().end();
            }
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
        // The peer's address, not X-Forwarded-For: a header is the caller's word, aws:SourceIp must not be.
        Optional<String> sourceIp = Optional.ofNullable(req.remoteAddress()).map(a -> a.hostAddress());
        return new HttpRequest(req.method().name(), path, query, Headers.of(headers), body, sourceIp);
    }

    private static void reply(HttpServerRequest req, HttpResponse response) {
        var out = req.response().setStatusCode(response.status());
        response.headers().forEach(out::putHeader);
        out.end(Buffer.buffer(response.body()));
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().join();
        workers.shutdown();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
