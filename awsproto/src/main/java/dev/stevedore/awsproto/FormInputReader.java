package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the form parameters of a Query-style request (EC2's or the Query protocol's, see
 * {@link FormDialect}) into the JSON tree handlers receive, by walking the operation's input shape:
 * each member is looked for under its parameter name, list elements and map entries under the
 * dialect's numbered prefixes, structure members under {@code Name.Member}. The tree is keyed by
 * member names. Scalars are converted by their shape's type (booleans {@code true}/{@code false},
 * whole numbers, decimals, ISO 8601 timestamps, which become epoch seconds as in {@link AwsJson}); a
 * value that is not of its type is the validation policy's {@linkplain ValidationPolicy#malformedInput
 * malformed input} (EC2: 400 {@code InvalidParameterValue}).
 *
 * <p>In EC2, a parameter the input shape does not have is refused as EC2 refuses it: 400
 * {@code UnknownParameter} "The parameter ImageType is not recognized" (appoxy/aws#32, aws/aws-cli#21),
 * naming the parameter up to its first unknown part.
 */
final class FormInputReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final ServiceSpec spec;
    private final FormDialect dialect;
    private final ValidationPolicy policy;

    FormInputReader(ServiceSpec spec, FormDialect dialect, ValidationPolicy policy) {
        this.spec = spec;
        this.dialect = dialect;
        this.policy = policy;
    }

    /**
     * Reads the operation parameters ({@link FormParameters#operationParameters()}) as the input shape.
     *
     * @throws AwsException {@code UnknownParameter} (EC2), or the policy's malformed-input error
     */
    ObjectNode read(Shape input, NavigableMap<String, String> parameters) {
        Walk walk = new Walk(parameters);
        ObjectNode tree = walk.structure(input, "");
        if (dialect.refusesUnknownParameters()) {
            parameters.keySet().stream().filter(name -> !walk.consumed.contains(name)).findFirst().ifPresent(name -> {
                throw AwsException.clientError("UnknownParameter",
                        "The parameter " + unknownPart(input, name) + " is not recognized");
            });
        }
        return tree;
    }

    /** One reading of one request; it remembers which parameters it took. */
    private final class Walk {
        private final NavigableMap<String, String> parameters;
        private final Set<String> consumed = new HashSet<>();

        Walk(NavigableMap<String, String> parameters) {
            this.parameters = parameters;
        }

        ObjectNode structure(Shape shape, String prefix) {
            ObjectNode node = NODES.objectNode();
            for (Member member : shape.members().values()) {
                value(spec.shape(member.shape()), member, prefix + dialect.parameterName(member))
                        .ifPresent(value -> node.set(member.name(), value));
            }
            return node;
        }

        private Optional<JsonNode> value(Shape shape, Member reference, String name) {
            return switch (shape.type()) {
                case STRUCTURE -> children(name).isEmpty() ? Optional.empty()
                        : Optional.of(structure(shape, name + "."));
                case LIST -> list(shape, reference, name);
                case MAP -> map(shape, reference, name);
                case DOCUMENT -> throw new IllegalStateException("the Query protocols have no " + shape.type());
                default -> scalar(shape, name);
            };
        }

        private Optional<JsonNode> list(Shape shape, Member reference, String name) {
            String elements = dialect.listElements(name, reference, shape);
            Set<Integer> positions = positions(elements);
            if (positions.isEmpty()) {
                return bareName(name) ? Optional.of(NODES.arrayNode()) : Optional.empty();
            }
            Member element = shape.member().orElseThrow();
            ArrayNode array = NODES.arrayNode();
            for (int position : positions) {
                value(spec.shape(element.shape()), element, elements + "." + position).ifPresent(array::add);
            }
            return Optional.of(array);
        }

        private Optional<JsonNode> map(Shape shape, Member reference, String name) {
            String entries = dialect.mapEntries(name, reference, shape);
            Set<Integer> positions = positions(entries);
            if (positions.isEmpty()) {
                return bareName(name) ? Optional.of(NODES.objectNode()) : Optional.empty();
            }
            Member key = shape.key().orElseThrow();
            Member value = shape.value().orElseThrow();
            ObjectNode map = NODES.objectNode();
            for (int position : positions) {
                String entry = entries + "." + position + ".";
                Optional<JsonNode> keyText = scalar(spec.shape(key.shape()), entry + key.locationName().orElse("key"));
                Optional<JsonNode> entryValue = value(spec.shape(value.shape()), value,
                        entry + value.locationName().orElse("value"));
                // An entry without a key has no place in the tree; without a value it is an explicit null.
                keyText.ifPresent(k -> map.set(k.asText(), entryValue.orElse(NODES.nullNode())));
            }
            return Optional.of(map);
        }

        // Query clients write an empty list or map as the bare name; accept it as one.
        private boolean bareName(String name) {
            if (parameters.containsKey(name) && parameters.get(name).isEmpty()) {
                consumed.add(name);
                return true;
            }
            return false;
        }

        private Set<Integer> positions(String prefix) {
            Set<Integer> positions = new TreeSet<>();
            for (String child : children(prefix).keySet()) {
                String segment = child.substring(prefix.length() + 1).split("\\.", 2)[0];
                position(segment).ifPresent(positions::add);
            }
            return positions;
        }

        private Optional<JsonNode> scalar(Shape shape, String name) {
            String text = parameters.get(name);
            if (text == null) {
                return Optional.empty();
            }
            consumed.add(name);
            return Optional.of(convert(shape, name, text));
        }

        private NavigableMap<String, String> children(String name) {
            String prefix = name + ".";
            return parameters.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
        }
    }

    private JsonNode convert(Shape shape, String name, String text) {
        try {
            return switch (shape.type()) {
                case BOOLEAN -> switch (text.toLowerCase(Locale.ROOT)) {
                    case "true" -> NODES.booleanNode(true);
                    case "false" -> NODES.booleanNode(false);
                    default -> throw invalid(name, text);
                };
                case INTEGER -> NODES.numberNode(new BigInteger(text.trim()).intValueExact());
                case LONG -> NODES.numberNode(new BigInteger(text.trim()).longValueExact());
                case SHORT -> NODES.numberNode(new BigInteger(text.trim()).shortValueExact());
                case BYTE -> NODES.numberNode(new BigInteger(text.trim()).byteValueExact());
                case BIGINTEGER -> NODES.numberNode(new BigInteger(text.trim()));
                case DOUBLE, FLOAT, BIGDECIMAL -> NODES.numberNode(new BigDecimal(text.trim()));
                case TIMESTAMP -> NODES.numberNode(AwsJsonModule.epochSeconds(parseTimestamp(text.trim())));
                default -> NODES.textNode(text);
            };
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw invalid(name, text);
        }
    }

    // ISO 8601 as the SDKs send it ("2026-12-07T01:02:03.000Z"), or with an offset.
    private static Instant parseTimestamp(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }

    private AwsException invalid(String name, String text) {
        return policy.malformedInput("Invalid value '" + text + "' for " + name + ".");
    }

    private static Optional<Integer> position(String segment) {
        if (segment.isEmpty() || segment.length() > 9 || !segment.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        int position = Integer.parseInt(segment);
        return position >= 1 ? Optional.of(position) : Optional.empty();
    }

    /** The parameter name up to and including its first part that the input shape does not have. */
    private String unknownPart(Shape input, String name) {
        String[] segments = name.split("\\.", -1);
        Shape shape = input;
        StringBuilder known = new StringBuilder();
        for (String segment : segments) {
            known.append(known.isEmpty() ? "" : ".").append(segment);
            Shape current = shape;
            Optional<Shape> next = switch (current.type()) {
                case STRUCTURE -> current.members().values().stream()
                        .filter(m -> dialect.parameterName(m).equals(segment)).findFirst()
                        .map(m -> spec.shape(m.shape()));
                case LIST -> position(segment).map(p -> spec.shape(current.member().orElseThrow().shape()));
                default -> Optional.empty();
            };
            if (next.isEmpty()) {
                return known.toString();
            }
            shape = next.get();
        }
        return name;
    }
}
