package dev.stevedore.awsproto;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * SigV4 computed by hand, for the requests the SDK signer cannot reproduce (see {@link SdkSigV4}).
 *
 * <p>Only the canonical request is built here: exactly the headers the client listed in
 * {@code SignedHeaders}, the query string (without {@code X-Amz-Signature} for presigned requests), the
 * path with the SDK's normalisation and double encoding, and the SHA-256 of the body. The string to
 * sign and the key derivation follow the published algorithm.
 *
 * <p>{@link SigV4Signer}, the client side, signs with these same pieces, so what Stevedore's own
 * clients send is canonicalised exactly as this class reads it.
 */
final class ManualSigV4 {

    private ManualSigV4() {
    }

    static String signature(HttpRequest request, SigV4Auth auth, String secretAccessKey) {
        return signature(secretAccessKey, auth.amzDate(),
                List.of(auth.scopeDate(), auth.region(), auth.service(), auth.terminator()),
                canonicalRequest(request, auth));
    }

    /**
     * The hex signature of a canonical request.
     *
     * @param amzDate the signing time in ISO-8601 basic format
     * @param scope   date, region, service and terminator, the credential scope's parts in order
     */
    static String signature(String secretAccessKey, String amzDate, List<String> scope, String canonicalRequest) {
        String stringToSign = SigV4Auth.ALGORITHM + "\n" + amzDate + "\n" + String.join("/", scope) + "\n"
                + SigV4Encoding.sha256Hex(canonicalRequest);
        byte[] key = ("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8);
        for (String part : scope) {
            key = SigV4Encoding.hmacSha256(key, part);
        }
        return SigV4Encoding.hex(SigV4Encoding.hmacSha256(key, stringToSign));
    }

    static String canonicalRequest(HttpRequest request, SigV4Auth auth) {
        return canonicalRequest(request, auth.signedHeaders(), auth.signedHeadersText(), auth.presigned());
    }

    /**
     * @param signedHeaders     the lower-case names of the signed headers, in {@code SignedHeaders} order
     * @param signedHeadersText the {@code SignedHeaders} value as sent
     * @param presigned         whether the signature travels in the query, which leaves {@code X-Amz-Signature} out
     */
    static String canonicalRequest(HttpRequest request, List<String> signedHeaders, String signedHeadersText,
                                   boolean presigned) {
        StringBuilder headers = new StringBuilder();
        for (String name : signedHeaders) {
            headers.append(name).append(':').append(request.headers().all(name).stream()
                    .map(ManualSigV4::trimAll).collect(Collectors.joining(","))).append('\n');
        }
        return request.method() + "\n" + canonicalUri(request.path()) + "\n"
                + canonicalQuery(request.rawQuery(), presigned) + "\n" + headers + "\n" + signedHeadersText + "\n"
                + SigV4Encoding.sha256Hex(request.body());
    }

    /** The path as the SDK canonicalises it for every service but S3: dot segments removed, then encoded again. */
    static String canonicalUri(String rawPath) {
        String path = rawPath.isEmpty() ? "/" : rawPath;
        String normalized;
        try {
            normalized = URI.create(path).normalize().getRawPath();
        } catch (IllegalArgumentException e) {
            normalized = path;
        }
        String encoded = SigV4Encoding.uriEncode(normalized, true);
        if (encoded.length() > 1 && encoded.endsWith("/") && !path.endsWith("/")) {
            encoded = encoded.substring(0, encoded.length() - 1);
        }
        return encoded.startsWith("/") ? encoded : "/" + encoded;
    }

    static String canonicalQuery(String rawQuery, boolean presigned) {
        List<String[]> params = new ArrayList<>();
        for (Map.Entry<String, String> param : SigV4Encoding.parseQuery(rawQuery)) {
            if (param.getKey().isEmpty() || (presigned && param.getKey().equals("X-Amz-Signature"))) {
                continue;
            }
            params.add(new String[] {SigV4Encoding.uriEncode(param.getKey(), false),
                    SigV4Encoding.uriEncode(param.getValue(), false)});
        }
        params.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        return params.stream().map(p -> p[0] + "=" + p[1]).collect(Collectors.joining("&"));
    }

    /** Trims a header value and collapses each run of whitespace inside it to one space. */
    private static String trimAll(String value) {
        return value.trim().replaceAll("\\s+", " ");
    }
}
