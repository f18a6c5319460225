package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/**
 * Writes answers and errors of the Query protocol (IAM, STS) as XML.
 *
 * <p>An answer is {@code <ActionResponse xmlns="{xmlNamespace}">} holding the output members
 * ({@link XmlShapeWriter}) inside the operation's {@code resultWrapper} element ({@code ActionResult}),
 * then {@code <ResponseMetadata><RequestId/></ResponseMetadata>}; an operation without output has no
 * result element at all. The namespace is the model's {@code xmlNamespace} as it stands (IAM's
 * {@code https://iam.amazonaws.com/doc/2010-05-08/}).
 *
 * <p>An error is {@code <ErrorResponse xmlns=…><Error><Type>Sender|Receiver</Type><Code/><Message/></Error>
 * <RequestId/></ErrorResponse>}: {@code Receiver} for the server's faults (5xx), {@code Sender} otherwise.
 */
final class QueryXmlWriter {

    private final ServiceSpec spec;
    private final XmlShapeWriter shapes;
    private final String namespace;

    QueryXmlWriter(ServiceSpec spec) {
        this.spec = spec;
        this.shapes = new XmlShapeWriter(spec);
        this.namespace = namespace(spec);
    }

    private static String namespace(ServiceSpec spec) {
        return spec.metadata("xmlNamespace")
                .orElse("https://" + spec.endpointPrefix() + ".amazonaws.com/doc/" + spec.apiVersion() + "/");
    }

    /** The answer of an operation; {@code output} is its JSON tree, ignored when the operation has no output. */
    byte[] answer(OperationSpec operation, JsonNode output, String requestId) {
        StringBuilder xml = new StringBuilder(XmlShapeWriter.DECLARATION);
        String root = operation.name() + "Response";
        XmlShapeWriter.openRoot(xml, root, namespace);
        operation.output().ifPresent(shape -> {
            // botocore and the SDKs read the members from inside the wrapper when the model names one.
            operation.resultWrapper().ifPresentOrElse(wrapper -> {
                xml.append('<').append(wrapper).append('>');
                shapes.members(xml, spec.shape(shape), output);
                xml.append("</").append(wrapper).append('>');
            }, () -> shapes.members(xml, spec.shape(shape), output));
        });
        xml.append("<ResponseMetadata>");
        XmlShapeWriter.element(xml, "RequestId", XmlShapeWriter.escape(requestId));
        xml.append("</ResponseMetadata></").append(root).append('>');
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An error document in this service's namespace. */
    byte[] error(AwsException error, String requestId) {
        return error(namespace, error, requestId);
    }

    /** An error document of the service a spec describes, for answers given before any endpoint is chosen. */
    static byte[] error(ServiceSpec spec, AwsException error, String requestId) {
        return error(namespace(spec), error, requestId);
    }

    private static byte[] error(String namespace, AwsException error, String requestId) {
        StringBuilder xml = new StringBuilder(XmlShapeWriter.DECLARATION);
        XmlShapeWriter.openRoot(xml, "ErrorResponse", namespace);
        xml.append("<Error>");
        XmlShapeWriter.element(xml, "Type", error.isFault() ? "Receiver" : "Sender");
        XmlShapeWriter.element(xml, "Code", XmlShapeWriter.escape(error.code()));
        XmlShapeWriter.element(xml, "Message", XmlShapeWriter.escape(error.getMessage()));
        xml.append("</Error>");
        XmlShapeWriter.element(xml, "RequestId", XmlShapeWriter.escape(requestId));
        xml.append("</ErrorResponse>");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }
}
