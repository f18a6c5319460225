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
 * The EC2 query protocol endpoint for one EC2 API version.
 *
 * <p>Requests are {@code POST /} with an {@code application/x-www-form-urlencoded} body, or {@code GET /}
 * with the same parameters in the query string: {@code Action=DescribeVpcs&Version=2016-11-15&...}.
 * The endpoint reads the parameters into a JSON tree keyed by member names ({@link Ec2InputReader}),
 * checks it with {@link InputValidator} and {@link Ec2ValidationPolicy}, runs the registered
 * {@link JsonOperation} (the same handler type as the JSON services, so a handler returns a generated
 * {@code model.ec2} record or a tree) and answers 200 {@code text/xml;charset=UTF-8} with the output as
 * XML ({@link Ec2XmlWriter}). Every response carries the request id in {@code x-amzn-RequestId} and in
 * the body. Errors are EC2's XML error documents with the {@link AwsException}'s status and code; an
 * unexpected exception in a handler escapes to {@link AwsFrontDoor}, which answers it with this
 * endpoint's {@linkplain #internalError 500 InternalError}. Bodies larger than an API call may carry
 * never get here: the HTTP edge refuses them before reading them.
 */
public final class Ec2ProtocolEndpoint implements ProtocolEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(Ec2ProtocolEndpoint.class);
    private static final String AUTH_FAILURE_MESSAGE = "AWS was not able to validate the provided access credentials";

    private final ServiceSpec spec;
    private final Map<String, JsonOperation> operations;
    private final Ec2InputReader reader;
    private final InputValidator validator;
    private final Ec2XmlWriter writer;

    /**
     * @param operations handlers by operation name; names must exist in the model, operations without a
     *                   handler answer {@code InvalidAction}
     */
    public Ec2ProtocolEndpoint(ServiceSpec spec, Map<String, JsonOperation> operations) {
        this.spec = Objects.requireNonNull(spec, "spec");
        if (!spec.protocol().equals("ec2")) {
            throw new IllegalArgumentException(spec.name() + " uses protocol " + spec.protocol() + ", not ec2");
        }
        if (spec.apiVersion().isEmpty()) {
            throw new IllegalArgumentException(spec.name() + " has no apiVersion");
        }
        operations.keySet().stream().filter(name -> spec.operation(name).isEmpty()).findFirst().ifPresent(name -> {
            throw new IllegalArgumentException(spec.name() + " has no operation " + name);
        });
        // Maps and documents have no EC2 request encoding; the EC2 model has none.
        spec.shapeNames().stream().map(spec::shape)
                .filter(shape -> shape.type() == ShapeType.MAP || shape.type() == ShapeType.DOCUMENT)
                .findFirst().ifPresent(shape -> {
                    throw new IllegalArgumentException(spec.name() + " has a " + shape.type() + " shape, "
                            + shape.name() + ", which the EC2 protocol cannot carry");
                });
        this.operations = Map.copyOf(operations);
        this.reader = new Ec2InputReader(spec);
        this.validator = new InputValidator(spec, ValidationPolicy.ec2());
        this.writer = new Ec2XmlWriter(spec);
    }

    public ServiceSpec spec() {
        return spec;
    }

    /**
     * True when the request's {@code Action} names an operation of this spec and its {@code Version} is
     * the spec's API version: IAM, STS and ELBv2 send the same kind of request, and the version is what
     * tells them apart.
     */
    @Override
    public boolean accepts(HttpRequest request) {
        try {
            // Any Action of this API version is EC2's to answer: one Stevedore does not serve gets EC2's
            // InvalidAction in EC2's XML, which the CLI and SDKs can read, not another protocol's error.
            if (!FormParameters.carriesParameters(request)) {
                return false;
            }
            FormParameters parameters = FormParameters.read(request);
            return parameters.get("Version").filter(spec.apiVersion()::equals).isPresent()
                    && parameters.get("Action").isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Optional<OperationSpec> operationOf(FormParameters parameters) {
        if (!parameters.get("Version").filter(spec.apiVersion()::equals).isPresent()) {
            return Optional.empty();
        }
        return parameters.get("Action").flatMap(spec::operation);
    }

    @Override
    public String signingName() {
        return spec.signingName();
    }

    @Override
    public HttpResponse handle(HttpRequest request, Principal principal, String region, String requestId) {
        String action = "?";
        try {
            FormParameters parameters = parameters(request);
            action = parameters.get("Action").orElse("?");
            OperationSpec operation = operationOf(parameters).orElseThrow(() -> invalidAction(parameters));
            JsonOperation handler = operations.get(operation.name());
            if (handler == null) {
                throw invalidAction(parameters);
            }
            ObjectNode input = operation.input()
                    .map(shape -> read(shape, parameters))
                    .orElseGet(() -> AwsJson.mapper().createObjectNode());
            Object output = handler.handle(new CallContext(requestId, principal, operation.name(), region, request.sourceIp()), input);
            JsonNode tree = output == null ? AwsJson.mapper().createObjectNode() : AwsJson.mapper().valueToTree(output);
            return response(200, writer.answer(operation, tree, requestId), requestId);
        } catch (AwsException e) {
            if (e.isFault()) {
                LOG.warn("EC2 {} answered {} (request {})", action, e.code(), requestId, e);
            } else {
                LOG.debug("EC2 {} answered {}: {} (request {})", action, e.code(), e.getMessage(), requestId);
            }
            return error(e, requestId);
        }
    }

    private FormParameters parameters(HttpRequest request) {
        if (!(request.path().equals("/") || request.path().isEmpty()) || !FormParameters.carriesParameters(request)) {
            throw AwsException.clientError("InvalidAction", "EC2 accepts only POST / with a form body or GET /, not "
                    + request.method() + " " + request.path() + ".");
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

    // EC2's words for an action it does not have (boto/boto#1282, aws/aws-sdk-ruby#1636).
    private static AwsException invalidAction(FormParameters parameters) {
        return AwsException.clientError("InvalidAction", "The action " + parameters.get("Action").orElse("")
                + " is not valid for this web service.");
    }

    /**
     * Writes an error as EC2 does. Signature failures get EC2's codes: an unknown key or a signature that
     * does not match is 401 {@code AuthFailure} "AWS was not able to validate the provided access
     * credentials" (aws/aws-sdk-java#2508, hashicorp/terraform#17273: 401, and EC2 answers a wrongly
     * scoped signature the same way, aws/aws-sdk-java-v2#2981); a signing time out of range or expired
     * temporary credentials is 400 {@code RequestExpired} "Request has expired." (aws/aws-sdk-java#1443,
     * aws/aws-sdk-go-v2#1674); no signature at all is 401 {@code MissingAuthenticationToken}, malformed
     * signature parameters 400 {@code IncompleteSignature} (the common errors of the EC2 API reference).
     */
    @Override
    public HttpResponse error(AwsException error, String requestId) {
        return errorResponse(error instanceof SigV4Exception signature ? inEc2Terms(signature) : error, requestId);
    }

    /** An error in EC2's XML, as is: signature errors are not translated. */
    static HttpResponse errorResponse(AwsException error, String requestId) {
        return response(error.status(), Ec2XmlWriter.error(error.code(), error.getMessage(), requestId), requestId);
    }

    private static AwsException inEc2Terms(SigV4Exception error) {
        return switch (error.reason()) {
            case MISSING_AUTHENTICATION -> new AwsException("MissingAuthenticationToken", 401,
                    "The request must contain either a valid (registered) AWS access key ID or X.509 certificate.");
            case INCOMPLETE_SIGNATURE -> AwsException.clientError("IncompleteSignature", error.getMessage());
            case UNRECOGNIZED_CLIENT, SIGNATURE_MISMATCH, INVALID_CREDENTIAL_SCOPE ->
                    new AwsException("AuthFailure", 401, AUTH_FAILURE_MESSAGE);
            case SIGNATURE_EXPIRED, SIGNATURE_NOT_YET_CURRENT, EXPIRED_TOKEN ->
                    AwsException.clientError("RequestExpired", "Request has expired.");
        };
    }

    @Override
    public HttpResponse internalError(String requestId) {
        return error(new AwsException("InternalError", 500, "An internal error has occurred"), requestId);
    }

    private static HttpResponse response(int status, byte[] body, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", Ec2XmlWriter.CONTENT_TYPE);
        headers.put("x-amzn-RequestId", requestId);
        return new HttpResponse(status, headers, body);
    }
}
