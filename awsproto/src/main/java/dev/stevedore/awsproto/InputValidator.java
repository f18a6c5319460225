package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks request JSON against the input shapes of a service model before a handler sees it.
 *
 * <p>Structures, lists and maps are checked recursively for: JSON types (string, integer, long,
 * boolean, double, timestamp, blob, list, map, structure); integers being whole and within their
 * Java range; required members; string, list, map and blob lengths; numeric ranges; enum values; and
 * string patterns. A wrong JSON type stops the check at once with the policy's
 * {@link ValidationPolicy#malformedInput malformed-input} error, as a deserializer would; constraint
 * violations are collected and reported together. Members the model does not know are ignored, and
 * an explicit JSON {@code null} member counts as absent and is removed from the input.
 */
public final class InputValidator {

    private static final Logger LOG = LoggerFactory.getLogger(InputValidator.class);
    private static final int MAX_RENDERED_VALUE = 1024;

    private final ServiceSpec spec;
    private final ValidationPolicy policy;
    private final Map<String, Pattern> patterns = new HashMap<>();

    public InputValidator(ServiceSpec spec, ValidationPolicy policy) {
        this.spec = spec;
        this.policy = policy;
        for (String name : spec.shapeNames()) {
            spec.shape(name).pattern().ifPresent(regex -> compile(name, regex));
        }
    }

    private void compile(String shapeName, String regex) {
        try {
            patterns.put(shapeName, Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            // The models use ECMAScript regexes; the few Java cannot read are skipped rather than
            // rejecting every request that carries the member.
            LOG.warn("Ignoring pattern of shape {} in {}: {}", shapeName, spec.name(), e.getDescription());
        }
    }

    /**
     * Checks an input object against a structure shape, removing explicit {@code null} members.
     *
     * @throws AwsException with the policy's code when the input does not fit
     */
    public void validate(String shapeName, ObjectNode input) {
        List<Violation> violations = new ArrayList<>();
        checkStructure(spec.shape(shapeName), input, "", violations);
        if (!violations.isEmpty()) {
            throw policy.constraintViolations(violations);
        }
    }

    private void checkValue(Shape shape, JsonNode node, String path, List<Violation> out) {
        switch (shape.type()) {
            case STRUCTURE -> checkStructure(shape, requireObject(node, path, "a Structure"), path, out);
            case MAP -> checkMap(shape, requireObject(node, path, "a Map"), path, out);
            case LIST -> checkList(shape, node, path, out);
            case STRING -> checkString(shape, node, path, out);
            case BOOLEAN -> requireScalar(node, JsonNodeType.BOOLEAN, path, "a Boolean");
            case INTEGER, LONG, SHORT, BYTE, BIGINTEGER -> checkIntegral(shape, node, path, out);
            case DOUBLE, FLOAT, BIGDECIMAL -> checkRange(shape,
                    decimal(shape, requireScalar(node, JsonNodeType.NUMBER, path, "a Double"), path), node, path, out);
            case TIMESTAMP -> checkTimestamp(shape, node, path);
            case BLOB -> checkBlob(shape, node, path, out);
            case DOCUMENT -> {
                // documents are free-form JSON
            }
        }
    }

    private void checkStructure(Shape shape, ObjectNode node, String path, List<Violation> out) {
        List<String> nulls = new ArrayList<>();
        node.properties().forEach(e -> {
            if (e.getValue().isNull()) {
                nulls.add(e.getKey());
            }
        });
        node.remove(nulls);
        for (Member member : shape.members().values()) {
            JsonNode value = node.get(spec.memberKey(member));
            String memberPath = policy.memberPath(path, member);
            if (value == null) {
                if (shape.isRequired(member.name())) {
                    out.add(Violation.missing(memberPath));
                }
            } else {
                checkValue(spec.shape(member.shape()), value, memberPath, out);
            }
        }
    }

    private void checkList(Shape shape, JsonNode node, String path, List<Violation> out) {
        if (!node.isArray()) {
            throw policy.malformedInput(wrongType(node, "a List", path));
        }
        ArrayNode array = (ArrayNode) node;
        checkLength(shape, array.size(), node, path, out);
        Shape element = spec.shape(shape.member().orElseThrow().shape());
        for (int i = 0; i < array.size(); i++) {
            String elementPath = policy.elementPath(path, i + 1);
            JsonNode item = array.get(i);
            if (item.isNull()) {
                out.add(Violation.missing(elementPath));
            } else {
                checkValue(element, item, elementPath, out);
            }
        }
    }

    private void checkMap(Shape shape, ObjectNode node, String path, List<Violation> out) {
        checkLength(shape, node.size(), node, path, out);
        Shape keyShape = spec.shape(shape.key().orElseThrow().shape());
        Shape valueShape = spec.shape(shape.value().orElseThrow().shape());
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            List<Violation> keyViolations = new ArrayList<>();
            checkString(keyShape, node.textNode(entry.getKey()), path, keyViolations);
            // AWS reports a bad key against the whole map, e.g. "Map keys must satisfy constraint: [...]".
            for (Violation v : keyViolations) {
                out.add(new Violation(v.kind(), path, render(shape, node),
                        "Map keys must satisfy constraint: [" + v.constraint() + "]"));
            }
            String valuePath = path + "." + entry.getKey();
            if (entry.getValue().isNull()) {
                out.add(Violation.missing(valuePath));
            } else {
                checkValue(valueShape, entry.getValue(), valuePath, out);
            }
        }
    }

    private void checkString(Shape shape, JsonNode node, String path, List<Violation> out) {
        String text = requireScalar(node, JsonNodeType.STRING, path, "a String").textValue();
        checkLength(shape, text.codePointCount(0, text.length()), node, path, out);
        if (!shape.enumValues().isEmpty() && !shape.enumValues().contains(text)) {
            out.add(new Violation(Violation.Kind.NOT_IN_ENUM, path, render(shape, node),
                    "Member must satisfy enum value set: [" + String.join(", ", shape.enumValues()) + "]"));
        }
        Pattern pattern = patterns.get(shape.name());
        // AWS checks model patterns against the whole value, not a substring.
        if (pattern != null && !pattern.matcher(text).matches()) {
            out.add(new Violation(Violation.Kind.PATTERN_MISMATCH, path, render(shape, node),
                    "Member must satisfy regular expression pattern: " + pattern.pattern()));
        }
    }

    private void checkIntegral(Shape shape, JsonNode node, String path, List<Violation> out) {
        JsonNode number = requireScalar(node, JsonNodeType.NUMBER, path, integralName(shape.type()));
        BigInteger value;
        try {
            value = decimal(shape, number, path).toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw policy.malformedInput("Numeric value (" + number.asText() + ") is not a whole number at '"
                    + path + "'");
        }
        BigInteger[] bounds = switch (shape.type()) {
            case INTEGER -> new BigInteger[] {BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE)};
            case LONG -> new BigInteger[] {BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE)};
            case SHORT -> new BigInteger[] {BigInteger.valueOf(Short.MIN_VALUE), BigInteger.valueOf(Short.MAX_VALUE)};
            case BYTE -> new BigInteger[] {BigInteger.valueOf(Byte.MIN_VALUE), BigInteger.valueOf(Byte.MAX_VALUE)};
            default -> null;
        };
        if (bounds != null && (value.compareTo(bounds[0]) < 0 || value.compareTo(bounds[1]) > 0)) {
            throw policy.malformedInput("Numeric value (" + number.asText() + ") out of range of "
                    + shape.type().name().toLowerCase(Locale.ROOT) + " at '" + path + "'");
        }
        checkRange(shape, new BigDecimal(value), node, path, out);
    }

    /**
     * The exact value of a number. The parser reads one beyond a double's range (1e400) as infinite,
     * which has no exact value: it is out of range of every type.
     */
    private BigDecimal decimal(Shape shape, JsonNode number, String path) {
        try {
            return number.decimalValue();
        } catch (NumberFormatException e) {
            throw policy.malformedInput("Numeric value (" + number.asText() + ") out of range of "
                    + shape.type().name().toLowerCase(Locale.ROOT) + " at '" + path + "'");
        }
    }

    private void checkRange(Shape shape, BigDecimal value, JsonNode node, String path, List<Violation> out) {
        shape.min().filter(min -> value.compareTo(min) < 0).ifPresent(min -> out.add(new Violation(
                Violation.Kind.BELOW_MINIMUM, path, render(shape, node),
                "Member must have value greater than or equal to " + bound(shape, min))));
        shape.max().filter(max -> value.compareTo(max) > 0).ifPresent(max -> out.add(new Violation(
                Violation.Kind.ABOVE_MAXIMUM, path, render(shape, node),
                "Member must have value less than or equal to " + bound(shape, max))));
    }

    private void checkLength(Shape shape, long length, JsonNode node, String path, List<Violation> out) {
        shape.min().filter(min -> BigDecimal.valueOf(length).compareTo(min) < 0).ifPresent(min -> out.add(
                new Violation(Violation.Kind.TOO_SHORT, path, render(shape, node),
                        "Member must have length greater than or equal to " + bound(shape, min))));
        shape.max().filter(max -> BigDecimal.valueOf(length).compareTo(max) > 0).ifPresent(max -> out.add(
                new Violation(Violation.Kind.TOO_LONG, path, render(shape, node),
                        "Member must have length less than or equal to " + bound(shape, max))));
    }

    private void checkTimestamp(Shape shape, JsonNode node, String path) {
        String format = shape.timestampFormat().orElse("unixTimestamp");
        if (node.isNumber() && format.equals("unixTimestamp")) {
            // A number no instant has (1e20 seconds, an infinite 1e400) is refused here, not by the
            // mapping into the request record later.
            try {
                AwsJsonModule.fromEpochSeconds(node.decimalValue());
                return;
            } catch (java.time.DateTimeException | ArithmeticException | NumberFormatException e) {
                throw policy.malformedInput("Invalid timestamp " + node.asText() + " at '" + path + "'");
            }
        }
        if (node.isTextual() && !format.equals("unixTimestamp")) {
            try {
                if (format.equals("rfc822")) {
                    DateTimeFormatter.RFC_1123_DATE_TIME.parse(node.textValue());
                } else {
                    Instant.parse(node.textValue());
                }
                return;
            } catch (DateTimeParseException e) {
                throw policy.malformedInput("Invalid timestamp '" + node.textValue() + "' at '" + path + "'");
            }
        }
        throw policy.malformedInput(wrongType(node, "a Timestamp", path));
    }

    private void checkBlob(Shape shape, JsonNode node, String path, List<Violation> out) {
        String text = requireScalar(node, JsonNodeType.STRING, path, "a Blob").textValue();
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw policy.malformedInput("Invalid base64 value at '" + path + "'");
        }
        checkLength(shape, bytes.length, node, path, out);
    }

    private ObjectNode requireObject(JsonNode node, String path, String expected) {
        if (!node.isObject()) {
            throw policy.malformedInput(wrongType(node, expected, path));
        }
        return (ObjectNode) node;
    }

    private JsonNode requireScalar(JsonNode node, JsonNodeType type, String path, String expected) {
        if (node.getNodeType() != type) {
            throw policy.malformedInput(wrongType(node, expected, path));
        }
        return node;
    }

    /** The deserializer-style sentence for a value of the wrong JSON type. */
    static String wrongType(JsonNode node, String expected, String path) {
        String where = path.isEmpty() ? "" : " at '" + path + "'";
        return switch (node.getNodeType()) {
            case OBJECT, POJO -> "Start of structure or map found where not expected" + where;
            case ARRAY -> "Start of list found where not expected" + where;
            case STRING -> "STRING_VALUE can not be converted to " + expected + where;
            case NUMBER -> "NUMBER_VALUE can not be converted to " + expected + where;
            case BOOLEAN -> "BOOLEAN_VALUE can not be converted to " + expected + where;
            default -> "Unexpected " + node.getNodeType() + " value, expected " + expected + where;
        };
    }

    private static String integralName(ShapeType type) {
        return type == ShapeType.LONG ? "a Long" : "an Integer";
    }

    // Lengths and integer ranges print as integers, floating-point ranges as Java doubles ("100.0").
    private static String bound(Shape shape, BigDecimal bound) {
        boolean floating = shape.type() == ShapeType.DOUBLE || shape.type() == ShapeType.FLOAT
                || shape.type() == ShapeType.BIGDECIMAL;
        return floating ? Double.toString(bound.doubleValue()) : bound.toBigInteger().toString();
    }

    private static Optional<String> render(Shape shape, JsonNode node) {
        if (shape.sensitive()) {
            return Optional.empty();
        }
        String text = renderValue(node);
        return Optional.of(text.length() > MAX_RENDERED_VALUE ? text.substring(0, MAX_RENDERED_VALUE) + "..." : text);
    }

    // Values are shown the way the AWS framework prints them: Java-style list and map text.
    private static String renderValue(JsonNode node) {
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(renderValue(item)));
            return "[" + String.join(", ", items) + "]";
        }
        if (node.isObject()) {
            return node.properties().stream().map(e -> e.getKey() + "=" + renderValue(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        return node.isNull() ? "null" : node.asText();
    }
}
