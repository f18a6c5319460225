package dev.stevedore.awsproto;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The path part of a REST operation's {@code requestUri} ({@code /2015-02-01/file-systems/{FileSystemId}}):
 * literal segments and {@code {Label}} segments, each label one path segment, a {@code {Label+}} the
 * rest of the path. A literal query part of the template ({@code ?tagging}) is not part of the path
 * and is ignored here.
 */
final class UriTemplate {

    private record Segment(String text, boolean label, boolean greedy) {
    }

    private final String template;
    private final List<Segment> segments;

    private UriTemplate(String template, List<Segment> segments) {
        this.template = template;
        this.segments = segments;
    }

    static UriTemplate parse(String requestUri) {
        String path = requestUri.split("\\?", 2)[0];
        List<Segment> segments = new ArrayList<>();
        for (String part : split(path)) {
            if (part.startsWith("{") && part.endsWith("}")) {
                String name = part.substring(1, part.length() - 1);
                boolean greedy = name.endsWith("+");
                segments.add(new Segment(greedy ? name.substring(0, name.length() - 1) : name, true, greedy));
            } else {
                segments.add(new Segment(part, false, false));
            }
        }
        return new UriTemplate(requestUri, List.copyOf(segments));
    }

    /** How many literal segments the template has: the more, the more specific it is. */
    int literals() {
        return (int) segments.stream().filter(s -> !s.label()).count();
    }

    /**
     * The labels' values (percent-decoded) when {@code rawPath} fits this template, else empty. A
     * trailing slash is not a segment of its own, so {@code /tags/fs-1/} fits {@code /tags/{Id}/} and
     * {@code /tags/{Id}} alike; an empty segment never fits a label.
     */
    Optional<Map<String, String>> match(String rawPath) {
        List<String> parts = split(rawPath.split("\\?", 2)[0]);
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (i >= parts.size()) {
                return Optional.empty();
            }
            if (segment.greedy()) {
                labels.put(segment.text(), decode(String.join("/", parts.subList(i, parts.size()))));
                return Optional.of(labels);
            }
            String part = parts.get(i);
            if (segment.label()) {
                if (part.isEmpty()) {
                    return Optional.empty();
                }
                labels.put(segment.text(), decode(part));
            } else if (!segment.text().equals(part)) {
                return Optional.empty();
            }
        }
        return parts.size() == segments.size() ? Optional.of(labels) : Optional.empty();
    }

    private static String decode(String part) {
        // A '+' in a path is itself, not a space: only percent-escapes are decoded.
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static List<String> split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1));
    }

    @Override
    public String toString() {
        return template;
    }
}
