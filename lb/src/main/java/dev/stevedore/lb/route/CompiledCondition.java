package dev.stevedore.lb.route;

import dev.stevedore.lb.config.Condition;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;

/** A condition turned into a predicate once, when the configuration is applied. */
final class CompiledCondition {

    private CompiledCondition() {
    }

    static Predicate<RequestView> of(Condition condition) {
        return switch (condition) {
            case Condition.PathPattern c -> {
                List<Wildcard> patterns = wildcards(c.values(), false);
                yield request -> any(patterns, request.path());
            }
            case Condition.HostHeader c -> {
                List<Wildcard> patterns = wildcards(c.values(), true);
                yield request -> any(patterns, request.host());
            }
            case Condition.HttpHeader c -> {
                List<Wildcard> patterns = wildcards(c.values(), true);
                String name = c.name();
                yield request -> request.headers(name).stream().anyMatch(value -> any(patterns, value));
            }
            case Condition.HttpRequestMethod c -> {
                List<String> methods = c.values();
                yield request -> methods.contains(request.method());
            }
            case Condition.QueryString c -> {
                List<Wildcard[]> pairs = c.values().stream()
                        .map(kv -> new Wildcard[] {kv.key().isEmpty() ? null : new Wildcard(kv.key(), true), new Wildcard(kv.value(), true)})
                        .toList();
                yield request -> queryMatches(pairs, request.query());
            }
            case Condition.SourceIp c -> {
                List<Cidr> blocks = c.values().stream().map(Cidr::parse).toList();
                yield request -> blocks.stream().anyMatch(block -> block.contains(request.source()));
            }
        };
    }

    private static List<Wildcard> wildcards(List<String> values, boolean ignoreCase) {
        return values.stream().map(value -> new Wildcard(value, ignoreCase)).toList();
    }

    private static boolean any(List<Wildcard> patterns, String text) {
        for (Wildcard pattern : patterns) {
            if (pattern.matches(text)) {
                return true;
            }
        }
        return false;
    }

    private static boolean queryMatches(List<Wildcard[]> pairs, String query) {
        if (query.isEmpty()) {
            return false;
        }
        for (String parameter : query.split("&")) {
            int eq = parameter.indexOf('=');
            String key = decode(eq < 0 ? parameter : parameter.substring(0, eq));
            String value = eq < 0 ? "" : decode(parameter.substring(eq + 1));
            for (Wildcard[] pair : pairs) {
                if ((pair[0] == null || pair[0].matches(key)) && pair[1].matches(value)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text;
        }
    }
}
