package dev.stevedore.server.console;

import dev.stevedore.awsproto.HttpRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A console request taken apart: the path below {@code /console/}, the query, a form body, cookies. */
record ConsoleRequest(String method, List<String> path, Map<String, String> query, Map<String, String> form,
                      Map<String, String> cookies, Optional<String> sourceIp) {

    static ConsoleRequest of(HttpRequest request) {
        String rest = request.path().substring(Console.PREFIX.length());
        List<String> segments = rest.isEmpty() ? List.of()
                : java.util.Arrays.stream(rest.split("/")).filter(s -> !s.isEmpty()).map(ConsoleRequest::decode).toList();
        boolean isForm = request.header("Content-Type").map(t -> t.startsWith("application/x-www-form-urlencoded"))
                .orElse(false);
        Map<String, String> form = isForm && request.method().equals("POST")
                ? pairs(new String(request.body(), StandardCharsets.UTF_8)) : Map.of();
        Map<String, String> cookies = new LinkedHashMap<>();
        request.header("Cookie").ifPresent(header -> {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    cookies.putIfAbsent(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
                }
            }
        });
        return new ConsoleRequest(request.method(), segments, pairs(request.rawQuery()), form, cookies,
                request.sourceIp());
    }

    private static Map<String, String> pairs(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            out.putIfAbsent(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    String segment(int i) {
        return i < path.size() ? path.get(i) : "";
    }

    String query(String name) {
        return query.getOrDefault(name, "");
    }

    String form(String name) {
        return form.getOrDefault(name, "");
    }
}
