package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers a REST-JSON request's input into the one tree handlers receive, keyed by member names
 * ({@link ServiceSpec#memberKey}): members bound to a path label ({@code location: uri}), a query
 * parameter ({@code querystring}) or a header ({@code header}) are read from there and typed by their
 * shape; every other member comes from the JSON body. A bound value wins over a body member of the
 * same name, as it does in the SDKs, which never put bound members in the body.
 */
final class RestJsonInput {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ServiceSpec spec;
    private final ValidationPolicy policy;

    RestJsonInput(ServiceSpec spec, ValidationPolicy policy) {
        this.spec = spec;
        this.policy = policy;
    }

    /** The input tree: {@code body} (already parsed, may be empty) with the bound members set into it. */
    ObjectNode read(Shape input, Map<String, String> labels, HttpRequest request, ObjectNode body) {
        Map<String, List<String>> query = query(request.rawQuery());
        for (Member member : input.members().values()) {
            String wire = member.wireName();
            Shape shape = spec.shape(member.shape());
            String key = spec.memberKey(member);
            switch (member.location().orElse("")) {
                case "uri" -> {
                    String value = labels.get(wire);
                    if (value != null) {
                        body.set(key, scalar(shape, value, wire));
                    }
                }
                case "querystring" -> {
                    List<String> values = query.get(wire);
                    if (values != null && shape.type() == ShapeType.LIST) {
                        Shape element = spec.shape(shape.member().orElseThrow().shape());
                        ArrayNode list = body.putArray(key);
                        values.forEach(v -> list.add(scalar(element, v, wire)));
                    } else if (values != null) {
                        body.set(key, scalar(shape, values.getFirst(), wire));
                    }
                }
                case "header" -> request.header(wire).ifPresent(v -> body.set(key, scalar(shape, v.trim(), wire)));
                default -> {
                    // a body member: already where it belongs
                }
            }
        }
        return body;
    }

    private JsonNode scalar(Shape shape, String text, String name) {
        return switch (shape.type()) {
            case INTEGER, LONG, SHORT, BYTE, BIGINTEGER -> {
                try {
                    yield NODES.numberNode(Long.parseLong(text));
                } catch (NumberFormatException e) {
                    throw policy.malformedInput("Value '" + text + "' of " + name + " is not an integer.");
                }
            }
            case BOOLEAN -> switch (text) {
                case "true" -> NODES.booleanNode(true);
                case "false" -> NODES.booleanNode(false);
                default -> throw policy.malformedInput("Value '" + text + "' of " + name + " is not a boolean.");
            };
            default -> NODES.textNode(text);
        };
    }

    /** The query string's parameters, decoded, each name with its values in order. */
    static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                // A malformed escape cannot name anything the model binds; leave the pair out.
            }
        }
        return values;
    }
}
