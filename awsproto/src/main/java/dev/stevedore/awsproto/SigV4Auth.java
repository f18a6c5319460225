package dev.stevedore.awsproto;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SigV4 parameters of one request, read from its {@code Authorization} header or, for presigned
 * requests, from its {@code X-Amz-*} query parameters.
 *
 * @param signedHeadersText the {@code SignedHeaders} value exactly as sent; it is part of what was signed
 * @param amzDate           the signing time in ISO-8601 basic format, as it enters the string to sign
 * @param expires           the validity of a presigned request
 * @param securityToken     the session token sent with the request
 * @param amzDateHeader     whether the time came from {@code X-Amz-Date} (header form) rather than {@code Date}
 */
record SigV4Auth(String accessKeyId, String scopeDate, String region, String service, String terminator,
                 List<String> signedHeaders, String signedHeadersText, String signature, String amzDate,
                 Instant signedAt, boolean presigned, Optional<Duration> expires, Optional<String> securityToken,
                 boolean amzDateHeader) {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final Set<String> QUERY_AUTH_PARAMS = Set.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
            "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Expires", "X-Amz-Security-Token");
    static final DateTimeFormatter BASIC_FORMAT = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC).withResolverStyle(ResolverStyle.STRICT);
    private static final long MAX_EXPIRES_SECONDS = 7 * 24 * 3600;

    String scope() {
        return scopeDate + "/" + region + "/" + service + "/" + terminator;
    }

    /** The service a request's credential scope names, when its signature parameters can be read at all. */
    static Optional<String> scopeService(HttpRequest request) {
        try {
            return Optional.of(parse(request).service());
        } catch (AwsException e) {
            return Optional.empty();
        }
    }

    /** Reads the signature parameters of a request. */
    static SigV4Auth parse(HttpRequest request) {
        Map<String, String> query = new LinkedHashMap<>();
        SigV4Encoding.parseQuery(request.rawQuery()).forEach(e -> query.putIfAbsent(e.getKey(), e.getValue()));
        Optional<String> authorization = request.header("Authorization");
        boolean queryAuth = query.containsKey("X-Amz-Algorithm") || query.containsKey("X-Amz-Credential")
                || query.containsKey("X-Amz-Signature");
        if (authorization.isPresent() && queryAuth) {
            throw incomplete("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
        }
        if (authorization.isPresent()) {
            return fromHeader(request, authorization.get().trim());
        }
        if (queryAuth) {
            return fromQuery(query);
        }
        throw new SigV4Exception(SigV4Exception.Reason.MISSING_AUTHENTICATION, "Missing Authentication Token");
    }

    private static SigV4Auth fromHeader(HttpRequest request, String header) {
        int space = header.indexOf(' ');
        String algorithm = space < 0 ? header : header.substring(0, space);
        checkAlgorithm(algorithm);
        Map<String, String> params = new LinkedHashMap<>();
        for (String part : (space < 0 ? "" : header.substring(space + 1)).split(",")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq < 0) {
                throw incomplete("'" + trimmed + "' not a valid key=value pair (missing equal-sign) in Authorization header: '"
                        + header + "'.");
            }
            params.put(trimmed.substring(0, eq).trim(), trimmed.substring(eq + 1).trim());
        }
        Optional<String> amzDate = request.header("X-Amz-Date");
        Optional<String> httpDate = request.header("Date");
        List<String> missing = new ArrayList<>();
        for (String name : List.of("Credential", "Signature", "SignedHeaders")) {
            if (!params.containsKey(name)) {
                missing.add("Authorization header requires '" + name + "' parameter.");
            }
        }
        if (amzDate.isEmpty() && httpDate.isEmpty()) {
            missing.add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        if (!missing.isEmpty()) {
            throw incomplete(String.join(" ", missing) + " Authorization=" + header);
        }
        Instant signedAt = amzDate.map(SigV4Auth::parseBasicDate).orElseGet(() -> parseHttpDate(httpDate.get()));
        Optional<String> token = request.header("X-Amz-Security-Token");
        return build(params.get("Credential"), params.get("SignedHeaders"), params.get("Signature"), signedAt,
                false, Optional.empty(), token, amzDate.isPresent());
    }

    private static SigV4Auth fromQuery(Map<String, String> query) {
        for (String name : List.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders",
                "X-Amz-Signature")) {
            if (!query.containsKey(name)) {
                throw incomplete("AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', "
                        + "'X-Amz-Date', 'X-Amz-SignedHeaders' and 'X-Amz-Signature'; '" + name + "' is missing.");
            }
        }
        checkAlgorithm(query.get("X-Amz-Algorithm"));
        Optional<Duration> expires = Optional.ofNullable(query.get("X-Amz-Expires")).map(SigV4Auth::parseExpires);
        return build(query.get("X-Amz-Credential"), query.get("X-Amz-SignedHeaders"), query.get("X-Amz-Signature"),
                parseBasicDate(query.get("X-Amz-Date")), true, expires,
                Optional.ofNullable(query.get("X-Amz-Security-Token")), false);
    }

    private static SigV4Auth build(String credential, String signedHeadersText, String signature, Instant signedAt,
                                   boolean presigned, Optional<Duration> expires, Optional<String> token,
                                   boolean amzDateHeader) {
        String[] parts = credential.split("/", -1);
        if (parts.length != 5 || Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw incomplete("Credential must have exactly 5 slash-delimited elements, e.g. "
                    + "keyid/date/region/service/term, got '" + credential + "'");
        }
        List<String> signedHeaders = Arrays.stream(signedHeadersText.split(";"))
                .map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
        if (!signedHeaders.contains("host")) {
            throw incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        return new SigV4Auth(parts[0], parts[1], parts[2], parts[3], parts[4], signedHeaders, signedHeadersText,
                signature, BASIC_FORMAT.format(signedAt), signedAt, presigned, expires, token, amzDateHeader);
    }

    private static void checkAlgorithm(String algorithm) {
        if (!algorithm.equals(ALGORITHM)) {
            throw incomplete("Unsupported AWS 'algorithm': '" + algorithm + "'; only " + ALGORITHM + " is supported.");
        }
    }

    private static Instant parseBasicDate(String value) {
        try {
            return Instant.from(BASIC_FORMAT.parse(value));
        } catch (DateTimeException e) {
            throw incomplete("Date must be in ISO-8601 'basic format'. Got '" + value + "'.");
        }
    }

    private static Instant parseHttpDate(String value) {
        try {
            return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(value));
        } catch (DateTimeException e) {
            throw incomplete("Date header must be an RFC 1123 date. Got '" + value + "'.");
        }
    }

    private static Duration parseExpires(String value) {
        try {
            long seconds = Long.parseLong(value);
            if (seconds >= 1 && seconds <= MAX_EXPIRES_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw incomplete("X-Amz-Expires must be a number of seconds between 1 and " + MAX_EXPIRES_SECONDS
                + ", got '" + value + "'.");
    }

    private static SigV4Exception incomplete(String message) {
        return new SigV4Exception(SigV4Exception.Reason.INCOMPLETE_SIGNATURE, message);
    }
}
