package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Query-style endpoints (EC2's and the Query protocol's) share: requests are {@code POST /}
 * with an {@code application/x-www-form-urlencoded} body, or {@code GET /} with the same parameters in
 * the query string ({@code Action=…&Version=…&…}); the parameters are read into a JSON tree keyed by
 * member names ({@link FormInputReader} in the subclass's {@link FormDialect}), checked with
 * {@link InputValidator} under the subclass's policy, handed to the registered {@link JsonOperation},
 * and its output is answered 200 {@code text/xml;charset=UTF-8}. Every response carries the request id
 * in {@code x-amzn-RequestId} and in the body. A subclass says which operation a request names, and
 * writes answers and errors in its own XML.
 */
public abstract sealed class FormProtocolEndpoint implements ProtocolEndpoint
        permits Ec2ProtocolEndpoint, QueryProtocolEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(FormProtocolEndpoint.class);

    private final ServiceSpec spec;
    private final Map<String, JsonOperation> operations;
    private final FormInputReader reader;
    private final InputValidator validator;

    FormProtocolEndpoint(ServiceSpec spec, String protocol, FormDialect dialect, ValidationPolicy policy,
                         Map<String, JsonOperation> operations) {
        this.spec = Objects.requireNonNull(spec, "spec");
        if (!spec.protocol().equals(protocol)) {
            throw new IllegalArgumentException(spec.name() + " uses protocol " + spec.protocol() + ", not " + protocol);
        }
        if (spec.apiVersion().isEmpty()) {
            throw new IllegalArgumentException(spec.name() + " has no apiVersion");
        }
        operations.keySet().stream().filter(name -> spec.operation(name).isEmpty()).findFirst().ifPresent(name -> {
            throw new IllegalArgumentException(spec.name() + " has no operation " + name);
        });
        spec.shapeNames().stream().map(spec::shape).filter(shape -> shape.type() == ShapeType.DOCUMENT)
                .findFirst().ifPresent(shape -> {
                    throw new IllegalArgumentException(spec.name() + " has a document shape, " + shape.name()
                            + ", which the " + protocol + " protocol cannot carry");
                });
        this.operations = Map.copyOf(operations);
        this.reader = new FormInputReader(spec, dialect, policy);
        this.validator = new InputValidator(spec, policy);
    }

    public ServiceSpec spec() {
        return spec;
    }

    @Override
    public String signingName() {
        return spec.signingName();
    }

    /** The parameters of a request, when it can carry any and they decode; never throws. */
    static Optional<FormParameters> parametersOf(HttpRequest request) {
        try {
            return FormParameters.carriesParameters(request) ? Optional.of(FormParameters.read(request))
                    : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the request's {@code Version} is this spec's API version. */
    final boolean ofThisVersion(FormParameters parameters) {
        return parameters.get("Version").filter(spec.apiVersion()::equals).isPresent();
    }

    /** The operation a request names, when this endpoint serves it under that version. */
    abstract Optional<OperationSpec> operationOf(FormParameters parameters);

    /** The error for an action this endpoint does not serve, in its service's words. */
    abstract AwsException invalidAction(FormParameters parameters);

    /** The error for a request that is not a form {@code POST /} or a {@code GET /}. */
    abstract AwsException notAFormRequest(HttpRequest request);

    /** The XML answer of an operation. */
    abstract byte[] answer(OperationSpec operation, JsonNode output, String requestId);

    @Override
    public final HttpResponse handle(HttpRequest request, Principal principal, String region, String requestId,
                                     CallRecord call) {
        String action = "?";
        try {
            FormParameters parameters = parameters(request);
            action = parameters.get("Action").orElse("?");
            OperationSpec operation = operationOf(parameters).orElseThrow(() -> invalidAction(parameters));
            call.operation(operation.name());
            JsonOperation handler = operations.get(operation.name());
            if (handler == null) {
                throw invalidAction(parameters);
            }
            ObjectNode input = operation.input()
                    .map(shape -> read(shape, parameters))
                    .orElseGet(() -> AwsJson.mapper().createObjectNode());
            Object output = handler.handle(new CallContext(requestId, principal, operation.name(), region, request.sourceIp()), input);
            JsonNode tree = output == null ? AwsJson.mapper().createObjectNode() : AwsJson.mapper().valueToTree(output);
            return xmlResponse(200, answer(operation, tree, requestId), requestId);
        } catch (AwsException e) {
            if (e.isFault()) {
                LOG.warn("{} {} answered {} (request {})", spec.serviceId(), action, e.code(), requestId, e);
            } else {
                LOG.debug("{} {} answered {}: {} (request {})", spec.serviceId(), action, e.code(), e.getMessage(),
                        requestId);
            }
            call.failed(e.code());
            return error(e, requestId);
        }
    }

    private FormParameters parameters(HttpRequest request) {
        if (!(request.path().equals("/") || request.path().isEmpty()) || !FormParameters.carriesParameters(request)) {
            throw notAFormRequest(request);
        }
        try {
            return FormParameters.read(request);
        } catch (IllegalArgumentException e) {
            throw AwsException.clientError("MalformedQueryString", "The query string contains a syntax error: "
                    + e.getMessage());
        }
    }

    private ObjectNode read(String shape, FormParameters parameters) {
        ObjectNode input = reader.read(spec.shape(shape), parameters.operationParameters());
        validator.validate(shape, input);
        return input;
    }

    static HttpResponse xmlResponse(int status, byte[] body, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", XmlShapeWriter.CONTENT_TYPE);
        headers.put("x-amzn-RequestId", requestId);
        return new HttpResponse(status, headers, body);
    }
}
