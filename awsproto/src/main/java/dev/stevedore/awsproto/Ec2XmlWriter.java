package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/**
 * Writes EC2 answers and errors as XML.
 *
 * <p>An answer is {@code <ActionResponse xmlns="http://ec2.amazonaws.com/doc/VERSION/">} (with the
 * trailing slash EC2 sends, which the model's {@code xmlNamespace} lacks) holding {@code requestId}
 * and then the output members ({@link XmlShapeWriter}; lists as {@code <vpcSet><item>}). An
 * operation without output answers {@code <return>true</return>}, as EC2 does for DeleteVpc and the like.
 *
 * <p>An error is {@code <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>}
 * (note {@code RequestID}, as EC2 spells it there and botocore reads it).
 */
final class Ec2XmlWriter {

    private final ServiceSpec spec;
    private final XmlShapeWriter shapes;
    private final String namespace;

    Ec2XmlWriter(ServiceSpec spec) {
        this.spec = spec;
        this.shapes = new XmlShapeWriter(spec);
        String declared = spec.metadata("xmlNamespace")
                .orElse("http://ec2.amazonaws.com/doc/" + spec.apiVersion() + "/");
        this.namespace = declared.endsWith("/") ? declared : declared + "/";
    }

    /** The answer of an operation; {@code output} is its JSON tree, ignored when the operation has no output. */
    byte[] answer(OperationSpec operation, JsonNode output, String requestId) {
        StringBuilder xml = new StringBuilder(XmlShapeWriter.DECLARATION);
        String root = operation.name() + "Response";
        XmlShapeWriter.openRoot(xml, root, namespace);
        XmlShapeWriter.element(xml, "requestId", XmlShapeWriter.escape(requestId));
        operation.output().ifPresentOrElse(
                shape -> shapes.members(xml, spec.shape(shape), output),
                () -> XmlShapeWriter.element(xml, "return", "true"));
        xml.append("</").append(root).append('>');
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An error document. */
    static byte[] error(String code, String message, String requestId) {
        String xml = XmlShapeWriter.DECLARATION + "<Response><Errors><Error><Code>" + XmlShapeWriter.escape(code)
                + "</Code><Message>" + XmlShapeWriter.escape(message) + "</Message></Error></Errors><RequestID>"
                + XmlShapeWriter.escape(requestId)
                + "</RequestID></Response>";
        return xml.getBytes(StandardCharsets.UTF_8);
    }
}
