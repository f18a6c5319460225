package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Writes EC2 answers and errors as XML.
 *
 * <p>An answer is {@code <ActionResponse xmlns="http://ec2.amazonaws.com/doc/VERSION/">} (with the
 * trailing slash EC2 sends, which the model's {@code xmlNamespace} lacks) holding {@code requestId}
 * and then the output members, written by walking the output shape over the handler's JSON tree (keyed
 * by member names): the element of a member is its {@code locationName}, else its name; a list is one
 * element with an element per item, named by the list member's {@code locationName} ({@code item} in
 * EC2), or, when flattened, the member's element repeated; booleans are {@code true}/{@code false};
 * timestamps ISO 8601 in UTC with milliseconds; absent and {@code null} members are left out. An
 * operation without output answers {@code <return>true</return>}, as EC2 does for DeleteVpc and the like.
 *
 * <p>An error is {@code <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>}
 * (note {@code RequestID}, as EC2 spells it there and botocore reads it).
 */
final class Ec2XmlWriter {

    static final String CONTENT_TYPE = "text/xml;charset=UTF-8";
    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ServiceSpec spec;
    private final String namespace;

    Ec2XmlWriter(ServiceSpec spec) {
        this.spec = spec;
        String declared = spec.metadata("xmlNamespace")
                .orElse("http://ec2.amazonaws.com/doc/" + spec.apiVersion() + "/");
        this.namespace = declared.endsWith("/") ? declared : declared + "/";
    }

    /** The answer of an operation; {@code output} is its JSON tree, ignored when the operation has no output. */
    byte[] answer(OperationSpec operation, JsonNode output, String requestId) {
        StringBuilder xml = new StringBuilder(DECLARATION);
        String root = operation.name() + "Response";
        xml.append('<').append(root).append(" xmlns=\"").append(escape(namespace).replace("\"", "&quot;"))
                .append("\">");
        element(xml, "requestId", escape(requestId));
        operation.output().ifPresentOrElse(
                shape -> members(xml, spec.shape(shape), output),
                () -> element(xml, "return", "true"));
        xml.append("</").append(root).append('>');
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An error document. */
    static byte[] error(String code, String message, String requestId) {
        String xml = DECLARATION + "<Response><Errors><Error><Code>" + escape(code) + "</Code><Message>"
                + escape(message) + "</Message></Error></Errors><RequestID>" + escape(requestId)
                + "</RequestID></Response>";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private void members(StringBuilder xml, Shape structure, JsonNode node) {
        for (Member member : structure.members().values()) {
            JsonNode value = node.get(spec.memberKey(member));
            if (value != null && !value.isNull() && !value.isMissingNode()) {
                Shape shape = spec.shape(member.shape());
                if (shape.type() == ShapeType.LIST && (member.flattened() || shape.flattened())) {
                    value.forEach(item -> value(xml, member.wireName(), spec.shape(shape.member().orElseThrow().shape()),
                            item));
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
                Member key = shape.key().orElseThrow();
                Member value = shape.value().orElseThrow();
                xml.append('<').append(element).append('>');
                for (Map.Entry<String, JsonNode> entry : node.properties()) {
                    xml.append("<entry>");
                    element(xml, key.locationName().orElse("key"), escape(entry.getKey()));
                    value(xml, value.locationName().orElse("value"), spec.shape(value.shape()), entry.getValue());
                    xml.append("</entry>");
                }
                xml.append("</").append(element).append('>');
            }
            case TIMESTAMP -> element(xml, element, TIMESTAMP.format(instant(node)));
            case BOOLEAN -> element(xml, element, node.isBoolean() ? Boolean.toString(node.booleanValue())
                    : escape(node.asText()));
            default -> element(xml, element, escape(node.isNumber() ? node.numberValue().toString() : node.asText()));
        }
    }

    // A handler's record writes an Instant as epoch seconds (AwsJson); a hand-built tree may hold ISO text.
    private static Instant instant(JsonNode node) {
        return node.isNumber() ? AwsJsonModule.fromEpochSeconds(node.decimalValue()) : Instant.parse(node.asText());
    }

    private static void element(StringBuilder xml, String name, String escapedText) {
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
