package dev.stevedore.awsproto;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request as the server received it, before any AWS interpretation.
 *
 * @param method   the request method, e.g. {@code POST}
 * @param path     the raw (still percent-encoded) path, e.g. {@code /}
 * @param rawQuery the raw query string without the leading {@code ?}; empty when there is none
 * @param headers  the header fields exactly as received, since SigV4 signs some of them verbatim
 *                 ({@code Content-Length} included); over HTTP/2 the adapter passes {@code :authority}
 *                 as {@code Host}
 * @param body     the complete body; not copied, so callers must not change it afterwards
 * @param sourceIp the address the request came from, as the edge saw it ({@code aws:SourceIp});
 *                 empty for requests made in-process
 */
public record HttpRequest(String method, String path, String rawQuery, Headers headers, byte[] body,
                          Optional<String> sourceIp) {

    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rawQuery, "rawQuery");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(sourceIp, "sourceIp");
    }

    /** A request of no known origin. */
    public HttpRequest(String method, String path, String rawQuery, Headers headers, byte[] body) {
        this(method, path, rawQuery, headers, body, Optional.empty());
    }

    /** A POST to {@code /} with the given headers and body, the shape of every awsJson call. */
    public static HttpRequest post(Headers headers, byte[] body) {
        return new HttpRequest("POST", "/", "", headers, body);
    }

    public static HttpRequest post(Headers headers, String body) {
        return post(headers, body.getBytes(StandardCharsets.UTF_8));
    }

    public Optional<String> header(String name) {
        return headers.first(name);
    }

    public HttpRequest withHeaders(Headers newHeaders) {
        return new HttpRequest(method, path, rawQuery, newHeaders, body, sourceIp);
    }

    public HttpRequest withBody(byte[] newBody) {
        return new HttpRequest(method, path, rawQuery, headers, newBody, sourceIp);
    }

    public HttpRequest withRawQuery(String newRawQuery) {
        return new HttpRequest(method, path, newRawQuery, headers, body, sourceIp);
    }

    // Arrays compare by identity in records; requests are compared by content where it matters.
    @Override
    public boolean equals(Object o) {
        return o instanceof HttpRequest r && method.equals(r.method) && path.equals(r.path)
                && rawQuery.equals(r.rawQuery) && headers.equals(r.headers)
                && java.util.Arrays.equals(body, r.body) && sourceIp.equals(r.sourceIp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, rawQuery, headers, java.util.Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "HttpRequest[" + method + " " + path + (rawQuery.isEmpty() ? "" : "?" + rawQuery)
                + ", headers=" + headers.names() + ", body=" + body.length + " bytes]";
    }
}
