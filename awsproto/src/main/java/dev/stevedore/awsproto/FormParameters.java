package dev.stevedore.awsproto;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parameters of a Query-style request (EC2, IAM, STS): the query string and, for
 * a {@code POST} with an {@code application/x-www-form-urlencoded} body, the body's parameters, decoded
 * ({@code +} is a space, as in any form encoding). A name given twice keeps its first value.
 *
 * @param values the decoded parameters by name, sorted so that one structure's or list's parameters
 *               ({@code Filter.1.Name}, {@code Filter.1.Value.1}, ...) form one range
 */
record FormParameters(NavigableMap<String, String> values) {

    static final String FORM_MEDIA_TYPE = "application/x-www-form-urlencoded";

    FormParameters {
        values = Collections.unmodifiableNavigableMap(new TreeMap<>(values));
    }

    /** Whether the request can carry Query-style parameters at all: a form {@code POST} or a {@code GET}. */
    static boolean carriesParameters(HttpRequest request) {
        if (request.method().equals("GET")) {
            return true;
        }
        return request.method().equals("POST") && request.header("Content-Type")
                .map(value -> value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals(FORM_MEDIA_TYPE))
                .orElse(false);
    }

    /**
     * Reads the parameters of a request.
     *
     * @throws IllegalArgumentException when a parameter is not validly percent-encoded
     */
    static FormParameters read(HttpRequest request) {
        TreeMap<String, String> values = new TreeMap<>();
        addAll(request.rawQuery(), values);
        if (request.method().equals("POST") && carriesParameters(request)) {
            addAll(new String(request.body(), StandardCharsets.UTF_8), values);
        }
        return new FormParameters(values);
    }

    private static void addAll(String encoded, TreeMap<String, String> into) {
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            into.putIfAbsent(name, value);
        }
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /**
     * The parameters of the operation itself: without {@code Action}, {@code Version} and the SigV4
     * query-string authentication parameters, which every request may carry.
     */
    NavigableMap<String, String> operationParameters() {
        TreeMap<String, String> own = new TreeMap<>(values);
        own.remove("Action");
        own.remove("Version");
        SigV4Auth.QUERY_AUTH_PARAMS.forEach(own::remove);
        return Collections.unmodifiableNavigableMap(own);
    }
}
