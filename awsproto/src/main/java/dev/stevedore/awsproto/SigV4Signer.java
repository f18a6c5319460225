package dev.stevedore.awsproto;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * AWS Signature Version 4 on the client side: signs requests with an access key for one region and
 * service, in header form (an {@code Authorization} header, as the AWS SDKs sign API calls) or
 * presigned (the signature in the URL's query, for clients such as a WebSocket that control no
 * headers of their own).
 *
 * <p>Header form signs like the AWS SDK for Java: every given header, {@code host},
 * {@code x-amz-date}, {@code x-amz-content-sha256} (the body's SHA-256, also sent) and, with a session
 * token, {@code x-amz-security-token}. The canonical request is built by the same code the server's
 * verifier uses ({@link ManualSigV4}), so both ends read a request alike.
 *
 * <p>{@code Host} is signed as an HTTP client derives it from the URI (without a default port) and
 * is never among the returned headers: {@code java.net.http} refuses to have it set.
 */
public final class SigV4Signer {

    private static final String TERMINATOR = "aws4_request";
    private static final long MAX_EXPIRES_SECONDS = 7 * 24 * 3600;

    private final SigV4Credentials credentials;
    private final String region;
    private final String service;

    public SigV4Signer(SigV4Credentials credentials, String region, String service) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.region = Objects.requireNonNull(region, "region");
        this.service = Objects.requireNonNull(service, "service");
    }

    /**
     * The headers to send a request with: {@code headers} (which must not hold {@code Host} or
     * {@code Authorization}) plus {@code X-Amz-Date}, {@code x-amz-content-sha256},
     * {@code X-Amz-Security-Token} with a session token, and {@code Authorization}.
     *
     * @param uri where the request goes; its path and query are signed as they are
     */
    public Headers sign(String method, URI uri, Headers headers, byte[] body, Instant at) {
        String amzDate = SigV4Auth.BASIC_FORMAT.format(at);
        Headers.Builder signed = headers.toBuilder()
                .remove("X-Amz-Date").add("X-Amz-Date", amzDate)
                .remove("x-amz-content-sha256").add("x-amz-content-sha256", SigV4Encoding.sha256Hex(body));
        credentials.sessionToken().ifPresent(token -> signed.remove("X-Amz-Security-Token")
                .add("X-Amz-Security-Token", token));
        Headers toSend = signed.build();
        TreeSet<String> names = new TreeSet<>();
        toSend.names().forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
        names.add("host");
        List<String> signedHeaders = List.copyOf(names);
        String signedHeadersText = String.join(";", signedHeaders);
        HttpRequest request = new HttpRequest(method, path(uri), rawQuery(uri),
                toSend.withOnly("Host", hostHeader(uri)), body);
        String signature = ManualSigV4.signature(credentials.secretAccessKey(), amzDate, scope(at),
                ManualSigV4.canonicalRequest(request, signedHeaders, signedHeadersText, false));
        return toSend.withOnly("Authorization", SigV4Auth.ALGORITHM + " Credential=" + credential(at)
                + ", SignedHeaders=" + signedHeadersText + ", Signature=" + signature);
    }

    /**
     * {@code uri} with the signature in its query: {@code X-Amz-Algorithm}, {@code X-Amz-Credential},
     * {@code X-Amz-Date}, {@code X-Amz-Expires}, {@code X-Amz-SignedHeaders} (only {@code host}),
     * {@code X-Amz-Security-Token} with a session token, and {@code X-Amz-Signature}. The query
     * parameters already in {@code uri} are kept, encoded as SigV4 encodes them.
     *
     * @param validity how long the URL is good for, from {@code at}; one second to seven days
     */
    public URI presign(String method, URI uri, Duration validity, Instant at) {
        long seconds = validity.toSeconds();
        if (seconds < 1 || seconds > MAX_EXPIRES_SECONDS) {
            throw new IllegalArgumentException("a presigned URL is valid for 1 s to 7 days, not " + validity);
        }
        String amzDate = SigV4Auth.BASIC_FORMAT.format(at);
        List<Map.Entry<String, String>> params = new ArrayList<>(SigV4Encoding.parseQuery(rawQuery(uri)));
        params.add(Map.entry("X-Amz-Algorithm", SigV4Auth.ALGORITHM));
        params.add(Map.entry("X-Amz-Credential", credential(at)));
        params.add(Map.entry("X-Amz-Date", amzDate));
        params.add(Map.entry("X-Amz-Expires", Long.toString(seconds)));
        params.add(Map.entry("X-Amz-SignedHeaders", "host"));
        credentials.sessionToken().ifPresent(token -> params.add(Map.entry("X-Amz-Security-Token", token)));
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> param : params) {
            query.append(query.isEmpty() ? "" : "&").append(SigV4Encoding.uriEncode(param.getKey(), false))
                    .append('=').append(SigV4Encoding.uriEncode(param.getValue(), false));
        }
        HttpRequest request = new HttpRequest(method, path(uri), query.toString(),
                Headers.of("Host", hostHeader(uri)), new byte[0]);
        String signature = ManualSigV4.signature(credentials.secretAccessKey(), amzDate, scope(at),
                ManualSigV4.canonicalRequest(request, List.of("host"), "host", true));
        query.append("&X-Amz-Signature=").append(signature);
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path(uri) + "?" + query);
    }

    private List<String> scope(Instant at) {
        return List.of(SigV4Auth.BASIC_FORMAT.format(at).substring(0, 8), region, service, TERMINATOR);
    }

    private String credential(Instant at) {
        return credentials.accessKeyId() + "/" + String.join("/", scope(at));
    }

    private static String path(URI uri) {
        String path = uri.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    private static String rawQuery(URI uri) {
        return uri.getRawQuery() == null ? "" : uri.getRawQuery();
    }

    /** {@code Host} as java.net.http (and the AWS SDKs) send it: the port only when it is not the scheme's default. */
    static String hostHeader(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("no host in " + uri);
        }
        int port = uri.getPort();
        boolean secure = "https".equalsIgnoreCase(uri.getScheme()) || "wss".equalsIgnoreCase(uri.getScheme());
        boolean defaultPort = port == -1 || port == (secure ? 443 : 80);
        return defaultPort ? host : host + ":" + port;
    }
}
