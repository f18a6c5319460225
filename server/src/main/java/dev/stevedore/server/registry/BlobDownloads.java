package dev.stevedore.server.registry;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Blob GETs, the bulk of a pull, without the blob's bytes passing through this JVM. The same request is
 * first put to the registry as a HEAD, so the registry decides exactly as for the GET (the token, the
 * blob belonging to the repository) and gives the GET's headers; when it answers 200, the body is the
 * blob's committed file in the registry's storage, which the kernel copies to the client (sendfile).
 * Streaming 50 MB through the proxy cost several times the registry's own time (BENCHMARKS.md, "Image
 * registry"). Everything else goes to the registry as a stream, so its answer is its own: a refusal or
 * any status but 200, a ranged or conditional GET (the registry's rules for those are not repeated
 * here), and a file that is missing or not of the size the registry gave.
 */
final class BlobDownloads {
    /** Request headers that change what a GET answers. */
    private static final Set<String> CONDITIONS = Set.of("range", "if-range", "if-match", "if-none-match",
            "if-modified-since", "if-unmodified-since");

    private final HttpClientAgent registry;
    private final int privatePort;
    private final RegistryStorage storage;

    BlobDownloads(HttpClientAgent registry, int privatePort, RegistryStorage storage) {
        this.registry = registry;
        this.privatePort = privatePort;
        this.storage = storage;
    }

    /**
     * Whether this is a plain GET of a whole blob over HTTP/1.x, as Docker's client sends. A request
     * upgraded to HTTP/2 (h2c, which the JDK's client asks for) is streamed: on such a stream the answer
     * was cut before its body in a test (curl and the JDK's client; not investigated further).
     */
    static boolean plainGet(HttpServerRequest request) {
        return request.method() == HttpMethod.GET && request.version() != HttpVersion.HTTP_2
                && request.headers().names().stream().noneMatch(name -> CONDITIONS.contains(name.toLowerCase()));
    }

    /**
     * Answers a plain GET of the blob {@code digest} from its file, once the registry has allowed it.
     *
     * @param otherwise what answers the request when the file cannot: the registry itself
     */
    void send(HttpServerRequest request, String digest, Consumer<HttpServerRequest> otherwise) {
        Optional<Path> file = storage.blobData(digest).filter(Files::isRegularFile);
        if (file.isEmpty()) {
            otherwise.accept(request);
            return;
        }
        request.pause();
        RequestOptions head = new RequestOptions().setMethod(HttpMethod.HEAD).setHost("127.0.0.1")
                .setPort(privatePort).setURI(request.uri());
        registry.request(head).compose(outbound -> {
            outbound.headers().setAll(request.headers());
            outbound.headers().remove("Connection");
            return outbound.send().compose(answer -> answer.end().map(done -> answer));
        }).onComplete(asked -> {
            long length = asked.succeeded() ? allowedLength(asked.result()) : -1;
            Optional<RandomAccessFile> opened = length < 0 ? Optional.empty() : open(file.get(), length);
            if (opened.isEmpty()) {
                // Still paused: the registry streams the answer, as for any other request.
                otherwise.accept(request);
                return;
            }
            request.resume();
            HttpServerResponse response = request.response().setStatusCode(200);
            copyHeaders(asked.result().headers(), response.headers());
            response.sendFile(opened.get(), 0, length).onComplete(sent -> {
                close(opened.get());
                if (sent.failed()) {
                    request.connection().close();
                }
            });
        });
    }

    /**
     * The file, opened before the answer begins (so a file gone since the check still gets the registry's
     * answer), when it has the length the registry gave for the blob.
     */
    private static Optional<RandomAccessFile> open(Path file, long length) {
        try {
            RandomAccessFile opened = new RandomAccessFile(file.toFile(), "r");
            if (opened.length() == length) {
                return Optional.of(opened);
            }
            close(opened);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void close(RandomAccessFile file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // Read only: nothing is lost.
        }
    }

    /** The blob's length when the registry allowed the GET, else -1. */
    private static long allowedLength(HttpClientResponse answer) {
        if (answer.statusCode() != 200) {
            return -1;
        }
        try {
            return Long.parseLong(Optional.ofNullable(answer.getHeader("Content-Length")).orElse("-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void copyHeaders(MultiMap from, MultiMap to) {
        to.setAll(from);
        to.remove("Connection");
        to.remove("Keep-Alive");
        to.remove("Transfer-Encoding");
    }
}
