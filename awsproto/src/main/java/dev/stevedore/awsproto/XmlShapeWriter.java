package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Writes a handler's JSON tree (keyed by member names) as the XML of the Query-style protocols, by
 * walking its shape; EC2's and the Query protocol's answers differ only in the envelope around it
 * ({@link Ec2XmlWriter}, {@link QueryXmlWriter}).
 *
 * <p>The element of a member is its {@code locationName}, else its name; a list is one element with
 * an element per item, named by the list member's {@code locationName} ({@code item} in EC2), else
 * {@code member}, or, when flattened, the member's element repeated; a map is one element with an
 * {@code <entry><key/><value/></entry>} per entry (the entries repeated under the member's name when
 * flattened); booleans are {@code true}/{@code false}; timestamps ISO 8601 in UTC with milliseconds;
 * absent and {@code null} members are left out.
 */
final class XmlShapeWriter {

    static final String CONTENT_TYPE = "text/xml;charset=UTF-8";
    static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ServiceSpec spec;

    XmlShapeWriter(ServiceSpec spec) {
        this.spec = spec;
    }

    /** The opening tag of a document's root, with its namespace. */
    static void openRoot(StringBuilder xml, String root, String namespace) {
        xml.append('<').append(root).append(" xmlns=\"").append(escape(namespace).replace("\"", "&quot;"))
                .append("\">");
    }

    /** The members of a structure, in model order. */
    void members(StringBuilder xml, Shape structure, JsonNode node) {
        for (Member member : structure.members().values()) {
            JsonNode value = node.get(spec.memberKey(member));
            if (value != null && !value.isNull() && !value.isMissingNode()) {
                Shape shape = spec.shape(member.shape());
                boolean flattened = member.flattened() || shape.flattened();
                if (flattened && shape.type() == ShapeType.LIST) {
                    value.forEach(item -> value(xml, member.wireName(), spec.shape(shape.member().orElseThrow().shape()),
                            item));
                } else if (flattened && shape.type() == ShapeType.MAP) {
                    entries(xml, member.wireName(), shape, value);
                } else {
                    value(xml, member.wireName(), shape, value);
                }
            }
        }
    }

    private void value(StringBuilder xml, String element, Shape shape, JsonNode node) {
        if (node.isNull()) {
            return;
        }
        switch (shape.type()) {
            case STRUCTURE -> {
                xml.append('<').append(element).append('>');
                members(xml, shape, node);
                xml.append("</").append(element).append('>');
            }
            case LIST -> {
                Member item = shape.member().orElseThrow();
                Shape itemShape = spec.shape(item.shape());
                xml.append('<').append(element).append('>');
                node.forEach(entry -> value(xml, item.locationName().orElse("member"), itemShape, entry));
                xml.append("</").append(element).append('>');
            }
            case MAP -> {
                xml.append('<').append(element).append('>');
                entries(xml, "entry", shape, node);
                xml.append("</").append(element).append('>');
            }
            case TIMESTAMP -> element(xml, element, TIMESTAMP.format(instant(node)));
            case BOOLEAN -> element(xml, element, node.isBoolean() ? Boolean.toString(node.booleanValue())
                    : escape(node.asText()));
            default -> element(xml, element, escape(node.isNumber() ? node.numberValue().toString() : node.asText()));
        }
    }

    private void entries(StringBuilder xml, String entryElement, Shape map, JsonNode node) {
        Member key = map.key().orElseThrow();
        Member value = map.value().orElseThrow();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            xml.append('<').append(entryElement).append('>');
            element(xml, key.locationName().orElse("key"), escape(entry.getKey()));
            value(xml, value.locationName().orElse("value"), spec.shape(value.shape()), entry.getValue());
            xml.append("</").append(entryElement).append('>');
        }
    }

    // A handler's record writes an Instant as epoch seconds (AwsJson); a hand-built tree may hold ISO text.
    private static Instant instant(JsonNode node) {
        return node.isNumber() ? AwsJsonModule.fromEpochSeconds(node.decimalValue()) : Instant.parse(node.asText());
    }

    static void element(StringBuilder xml, String name, String escapedText) {
        xml.append('<').append(name).append('>').append(escapedText).append("</").append(name).append('>');
    }

    /** Escapes text content: quotes need no escaping there, and EC2 sends them as they are. */
    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                // Kept as references so that an XML parser's line-end normalisation does not change them.
                case '\r' -> "&#xD;";
                default -> null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
