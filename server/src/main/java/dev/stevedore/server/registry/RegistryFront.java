package dev.stevedore.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.control.ecr.EcrScope;
import dev.stevedore.control.ecr.ImageLedger;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry's public address: a reverse proxy in front of the private {@code docker-registry}, which
 * streams every request through unchanged except for four things Stevedore decides or does itself.
 * <ul>
 *   <li>{@code GET /_stevedore/ecr/token}: the token endpoint the registry's {@code realm} names
 *       ({@link RegistryTokenEndpoint}).</li>
 *   <li>A request with a valid token that grants nothing on a repository that does not exist is
 *       answered {@code NAME_UNKNOWN} in ECR's words, as ECR answers a push to a missing repository.</li>
 *   <li>A manifest PUT (the last step of a push) with a valid push token: refused with
 *       {@code TAG_INVALID} when the repository is IMMUTABLE and the tag names another image, else passed
 *       to the registry and, once the registry has accepted it, recorded in the store before the
 *       client is answered. So a push the client was told succeeded is in DescribeImages, even if the
 *       server stops right after; a push whose recording failed is answered 500 and retried by the
 *       client. Manifest PUTs of one repository are serialised, so the tag check and the registry's
 *       write cannot interleave with another push of the same tag.</li>
 *   <li>A plain blob GET with a valid token: the registry is asked the same request as a HEAD, and when it
 *       allows it the bytes come from the blob's file ({@link BlobDownloads}), not through the proxy.</li>
 * </ul>
 * Streamed bodies go to the registry gathered into larger pieces ({@link CoalescedBody}), and a client's
 * {@code Expect: 100-continue} is answered here.
 */
final class RegistryFront implements AutoCloseable {
    static final String TOKEN_PATH = "/_stevedore/ecr/token";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryFront.class);
    private static final Pattern REPOSITORY_PATH = Pattern.compile("^/v2/(.+)/(manifests|blobs|tags)/(.*)$");
    private static final Pattern MANIFEST_PATH = Pattern.compile("^/v2/(.+)/manifests/([^/]+)$");
    /** Manifests are small; Docker Hub and ECR refuse those over 4 MiB. */
    private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /** What a streamed request body is gathered into before it is written to the registry ({@link CoalescedBody}). */
    private static final int UPLOAD_PIECE_BYTES = 256 * 1024;

    private final Vertx vertx;
    private final HttpServer server;
    private final HttpClientAgent proxy;
    private final HttpClient manifestClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int privatePort;
    private final RegistryTokenSigner signer;
    private final RegistryTokenEndpoint tokens;
    private final ImageLedger ledger;
    private final String region;
    private final BiConsumer<EcrScope, String> afterPush;
    private final Map<String, ReentrantLock> manifestLocks = new ConcurrentHashMap<>();
    private final BlobDownloads blobs;

    private RegistryFront(Vertx vertx, HttpServer server, int privatePort, RegistryTokenSigner signer,
                          RegistryTokenEndpoint tokens, ImageLedger ledger, String region,
                          BiConsumer<EcrScope, String> afterPush, RegistryStorage storage) {
        this.vertx = vertx;
        this.server = server;
        this.privatePort = privatePort;
        this.signer = signer;
        this.tokens = tokens;
        this.ledger = ledger;
        this.region = region;
        this.afterPush = afterPush;
        // Pieces of 64 KiB rather than Vert.x's 8 KiB: fewer writes for what is still streamed (measured on a
        // 50 MiB blob: 0.31 s against 0.44 s; BENCHMARKS.md, "Image registry").
        this.proxy = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxChunkSize(64 * 1024),
                new PoolOptions().setHttp1MaxSize(64));
        this.blobs = new BlobDownloads(proxy, privatePort, storage);
    }

    /**
     * Listens on {@code host:port} (0 for any free port).
     *
     * @param afterPush what runs once a pushed manifest is recorded (the lifecycle policy), off the request's path
     * @param storage   the registry's storage, where blob GETs the registry allowed are answered from
     */
    static RegistryFront start(String host, int port, int privatePort, RegistryTokenSigner signer,
                               RegistryTokenEndpoint tokens, ImageLedger ledger, String region,
                               BiConsumer<EcrScope, String> afterPush, RegistryStorage storage) {
        Vertx vertx = Vertx.vertx();
        try {
            // Body pieces of up to 64 KiB rather than Vert.x's 8 KiB, when the client's chunks are that large.
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                    .setMaxChunkSize(64 * 1024));
            RegistryFront front = new RegistryFront(vertx, server, privatePort, signer, tokens, ledger, region,
                    afterPush, storage);
            server.requestHandler(front::handle);
            server.listen().toCompletionStage().toCompletableFuture().join();
            return front;
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    int port() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.equals(TOKEN_PATH)) {
            respondLater(request, vertx.executeBlocking(() -> tokens.handle(request.headers().get("Authorization"),
                    request.params().getAll("scope"))));
            return;
        }
        Matcher repo = REPOSITORY_PATH.matcher(path);
        Optional<JsonNode> claims = repo.matches() ? bearerClaims(request) : Optional.empty();
        if (claims.isEmpty()) {
            forward(request);
            return;
        }
        String repository = repo.group(1);
        Matcher manifest = MANIFEST_PATH.matcher(path);
        if (request.method() == HttpMethod.PUT && manifest.matches()
                && RegistryTokenSigner.grants(claims.get(), repository, "push")) {
            if (declaredLength(request) > MAX_MANIFEST_BYTES) {
                reply(request, RegistryReply.error(400, "MANIFEST_INVALID", "manifest invalid: larger than 4 MiB"));
                request.connection().close();
                return;
            }
            Buffer body = Buffer.buffer();
            request.handler(chunk -> {
                if (body.length() + chunk.length() > MAX_MANIFEST_BYTES) {
                    // A chunked body that grows past the bound: nothing more is read or kept.
                    request.connection().close();
                } else {
                    body.appendBuffer(chunk);
                }
            });
            request.endHandler(end -> respondLater(request, vertx.executeBlocking(() ->
                    putManifest(request.headers(), repository, manifest.group(2), body, claims.get()))));
            return;
        }
        if (RegistryTokenSigner.grants(claims.get(), repository, "pull")
                || RegistryTokenSigner.grants(claims.get(), repository, "push")) {
            if (repo.group(2).equals("blobs") && BlobDownloads.plainGet(request)) {
                blobs.send(request, repo.group(3), this::forward);
            } else {
                forward(request);
            }
            return;
        }
        // A token that grants nothing here: say "name unknown" when that is why, as ECR does.
        request.pause();
        EcrScope scope = new EcrScope(claims.get().path("stevedore:account").asText(), region);
        vertx.executeBlocking(() -> ledger.repositoryExists(scope, repository)).onComplete(exists -> {
            if (exists.succeeded() && !exists.result()) {
                request.resume();
                reply(request, RegistryReply.error(404, "NAME_UNKNOWN", "The repository with name '" + repository
                        + "' does not exist in the registry with id '" + scope.accountId() + "'"));
            } else {
                forward(request);
            }
        });
    }

    /** The body's Content-Length, 0 when not given (a chunked body is checked once read). */
    private static long declaredLength(HttpServerRequest request) {
        try {
            return Long.parseLong(Optional.ofNullable(request.getHeader("Content-Length")).orElse("0"));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The claims of a valid bearer token of ours, if the request carries one. */
    private Optional<JsonNode> bearerClaims(HttpServerRequest request) {
        String authorization = request.headers().get("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return signer.verify(authorization.substring(7).trim());
    }

    private RegistryReply putManifest(MultiMap headers, String repository, String reference, Buffer body,
                                      JsonNode claims) throws IOException, InterruptedException {
        EcrScope scope = new EcrScope(claims.path("stevedore:account").asText(), region);
        Optional<String> tag = reference.contains(":") ? Optional.empty() : Optional.of(reference);
        String mediaType = Optional.ofNullable(headers.get("Content-Type")).orElse("");
        ImageLedger.Push push = new ImageLedger.Push(scope, repository, tag, mediaType, body.getBytes());
        ReentrantLock lock = manifestLocks.computeIfAbsent(scope.accountId() + "/" + repository, k -> new ReentrantLock());
        lock.lock();
        try {
            try {
                ledger.requireWritable(push);
            } catch (AwsException e) {
                return switch (e.code()) {
                    case "RepositoryNotFoundException" -> RegistryReply.error(404, "NAME_UNKNOWN", e.getMessage());
                    case "ImageTagAlreadyExistsException" -> RegistryReply.error(400, "TAG_INVALID", e.getMessage());
                    default -> RegistryReply.error(400, "MANIFEST_INVALID", e.getMessage());
                };
            }
            HttpResponse<byte[]> stored = sendManifest(headers, repository, reference, body.getBytes());
            RegistryReply reply = RegistryReply.of(stored);
            if (stored.statusCode() != 201) {
                return reply;
            }
            try {
                ledger.record(push);
            } catch (RuntimeException e) {
                LOG.warn("a manifest pushed to {} was stored by the registry but not recorded: {}", repository, e.toString());
                return RegistryReply.error(500, "UNKNOWN", "the image could not be recorded; push it again");
            }
            Thread.ofVirtual().start(() -> afterPush.accept(scope, repository));
            return reply;
        } finally {
            lock.unlock();
        }
    }

    private HttpResponse<byte[]> sendManifest(MultiMap headers, String repository, String reference, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + privatePort + "/v2/"
                + repository + "/manifests/" + reference)).timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        for (String name : new String[]{"Authorization", "Content-Type"}) {
            Optional.ofNullable(headers.get(name)).ifPresent(value -> put.header(name, value));
        }
        // The registry builds its Location header from this: the client's address, not the private one.
        Optional.ofNullable(headers.get("Host")).ifPresent(host -> put.header("X-Forwarded-Host", host));
        return manifestClient.send(put.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Streams the request to the registry and its answer back, headers as they are. */
    private void forward(HttpServerRequest request) {
        request.pause();
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost("127.0.0.1")
                .setPort(privatePort).setURI(request.uri());
        proxy.request(options).onComplete(created -> {
            if (created.failed()) {
                request.resume();
                reply(request, RegistryReply.error(503, "UNAVAILABLE", "the registry is not answering"));
                return;
            }
            var outbound = created.result();
            outbound.headers().setAll(request.headers());
            outbound.headers().remove("Connection");
            if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
                // Answered here, as a server that reads the body at once does: Vert.x writes the head to the
                // registry only with the body's first piece, which such a client (curl) holds back until then.
                outbound.headers().remove("Expect");
                request.response().writeContinue();
            }
            outbound.send(new CoalescedBody(request, UPLOAD_PIECE_BYTES)).onComplete(answered -> {
                if (answered.failed()) {
                    if (!request.response().headWritten()) {
                        reply(request, RegistryReply.error(502, "UNAVAILABLE", "the registry did not answer"));
                    } else {
                        request.connection().close();
                    }
                    return;
                }
                var inbound = answered.result();
                HttpServerResponse response = request.response().setStatusCode(inbound.statusCode());
                response.headers().setAll(inbound.headers());
                response.headers().remove("Connection");
                response.send(inbound);
            });
        });
    }

    private void respondLater(HttpServerRequest request, Future<RegistryReply> reply) {
        reply.onComplete(done -> {
            if (done.succeeded()) {
                reply(request, done.result());
            } else {
                LOG.warn("registry front door failed on {} {}", request.method(), request.path(), done.cause());
                reply(request, RegistryReply.error(500, "UNKNOWN", "internal error"));
            }
        });
    }

    private static void reply(HttpServerRequest request, RegistryReply reply) {
        HttpServerResponse response = request.response().setStatusCode(reply.status());
        reply.headers().forEach(response::putHeader);
        response.end(Buffer.buffer(reply.body()));
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().join();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    static String json(Object value) {
        try {
            return AwsJson.mapper().writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
