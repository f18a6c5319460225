package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The awsJson 1.0/1.1 protocol endpoint for one service.
 *
 * <p>Requests are {@code POST /} with {@code X-Amz-Target: <targetPrefix>.<Operation>} and a JSON
 * object body. The endpoint finds the operation in the service model, checks the body against the
 * operation's input shape with the service's {@link ValidationPolicy}, runs the registered
 * {@link JsonOperation} and answers 200 with the output as JSON ({@code {}} when empty). Every
 * response, errors included, carries {@code x-amzn-RequestId}. Errors use the awsJson format
 * ({@code {"__type": ..., "message": ...}} plus {@code X-Amzn-ErrorType}); an unexpected exception in
 * a handler escapes to {@link AwsFrontDoor}, which answers it with this endpoint's
 * {@linkplain #internalError 500 ServerException}. Bodies larger than an API call may carry never get
 * here: the HTTP edge refuses them before reading them.
 */
public final class JsonProtocolEndpoint implements ProtocolEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(JsonProtocolEndpoint.class);
    private static final String TARGET_HEADER = "X-Amz-Target";
    // SDKs send application/x-amz-json-1.x; plain JSON is accepted for hand-written clients (curl).
    private static final Set<String> ACCEPTED_MEDIA_TYPES =
            Set.of("application/x-amz-json-1.1", "application/x-amz-json-1.0", "application/json");

    private final ServiceSpec spec;
    /** The service's modelled 500, looked up once. */
    private final Optional<Shape> serverFault;
    private final String targetPrefix;
    private final Map<String, JsonOperation> operations;
    private final Options options;
    private final InputValidator validator;
    private final JsonErrorWriter errors;
    private final JsonBodyReader reader;
    private final String contentType;

    /**
     * Limits and policy of an endpoint.
     *
     * @param validationPolicy how input that does not fit the model is reported
     * @param maxNestingDepth  deeper JSON is refused as malformed, which also bounds recursion
     */
    public record Options(ValidationPolicy validationPolicy, int maxNestingDepth) {
        public static final int DEFAULT_MAX_NESTING_DEPTH = 64;

        public Options {
            Objects.requireNonNull(validationPolicy, "validationPolicy");
            if (maxNestingDepth < 1) {
                throw new IllegalArgumentException("maxNestingDepth must be positive");
            }
        }

        /** The service's validation policy and a nesting depth of 64. */
        public static Options defaults(ServiceSpec spec) {
            return new Options(ValidationPolicy.forService(spec), DEFAULT_MAX_NESTING_DEPTH);
        }
    }

    public JsonProtocolEndpoint(ServiceSpec spec, Map<String, JsonOperation> operations) {
        this(spec, operations, Options.defaults(spec));
    }

    /**
     * @param operations handlers by operation name; names must exist in the model, operations without a
     *                   handler answer {@code UnknownOperationException}
     */
    public JsonProtocolEndpoint(ServiceSpec spec, Map<String, JsonOperation> operations, Options options) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.serverFault = spec.serverFault();
        if (!spec.protocol().equals("json")) {
            throw new IllegalArgumentException(spec.name() + " uses protocol " + spec.protocol() + ", not json");
        }
        this.targetPrefix = spec.targetPrefix()
                .orElseThrow(() -> new IllegalArgumentException(spec.name() + " has no targetPrefix"));
        operations.keySet().stream().filter(name -> spec.operation(name).isEmpty()).findFirst().ifPresent(name -> {
            throw new IllegalArgumentException(spec.name() + " has no operation " + name);
        });
        this.operations = Map.copyOf(operations);
        this.options = Objects.requireNonNull(options, "options");
        this.validator = new InputValidator(spec, options.validationPolicy());
        this.errors = JsonErrorWriter.forService(spec);
        this.contentType = contentType(spec);
        this.reader = new JsonBodyReader(options.validationPolicy(), options.maxNestingDepth());
    }

    /** The {@code Content-Type} of this service's answers. */
    static String contentType(ServiceSpec spec) {
        return "application/x-amz-json-" + spec.jsonVersion().orElse("1.0");
    }

    public ServiceSpec spec() {
        return spec;
    }

    @Override
    public boolean accepts(HttpRequest request) {
        return request.header(TARGET_HEADER)
                .map(target -> target.lastIndexOf('.') == targetPrefix.length() && target.startsWith(targetPrefix))
                .orElse(false);
    }

    @Override
    public String signingName() {
        return spec.signingName();
    }

    @Override
    public HttpResponse handle(HttpRequest request, Principal principal, String region, String requestId,
                               CallRecord call) {
        String operation = "?";
        try {
            checkEnvelope(request);
            operation = operationName(request);
            OperationSpec op = spec.operation(operation).orElseThrow(this::unknownOperation);
            call.operation(op.name());
            JsonOperation handler = operations.get(op.name());
            if (handler == null) {
                throw AwsException.clientError("UnknownOperationException",
                        "Operation " + op.name() + " is not supported by this server.");
            }
            ObjectNode input = reader.parse(request.body());
            op.input().ifPresent(shape -> validator.validate(shape, input));
            Object output = handler.handle(new CallContext(requestId, principal, op.name(), region, request.sourceIp()), input);
            byte[] body = output == null ? "{}".getBytes(StandardCharsets.UTF_8) : AwsJson.toBytes(output);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", contentType);
            headers.put("x-amzn-RequestId", requestId);
            return new HttpResponse(op.responseCode().orElse(200), headers, body);
        } catch (AwsException e) {
            logAnswered(LOG, spec.serviceId(), operation, e, requestId);
            call.failed(e.code());
            return errors.write(e, requestId);
        }
    }

    /** Logs an error a JSON endpoint answers: a fault with its stack trace, a client error briefly. */
    static void logAnswered(Logger log, String service, String operation, AwsException e, String requestId) {
        if (e.isFault()) {
            log.warn("{} {} answered {} (request {})", service, operation, e.code(), requestId, e);
        } else {
            log.debug("{} {} answered {}: {} (request {})", service, operation, e.code(), e.getMessage(), requestId);
        }
    }

    @Override
    public HttpResponse error(AwsException error, String requestId) {
        return errors.write(error, requestId);
    }

    @Override
    public HttpResponse internalError(String requestId) {
        return internalError(requestId, "The server encountered an internal error.");
    }

    /**
     * The service's own modelled fault (ECS's and ECR's {@code ServerException}, CloudWatch Logs'
     * {@code ServiceUnavailableException}, Systems Manager's {@code InternalServerError}, Secrets
     * Manager's {@code InternalServiceError}), so an SDK reads the error it knows; ECS's when the model
     * names no single one.
     */
    @Override
    public HttpResponse internalError(String requestId, String message) {
        AwsException generic = JsonErrorWriter.serverException(requestId, message);
        AwsException modelled = serverFault
                .map(fault -> new AwsException(fault.errorCode(), fault.httpStatus(), generic.getMessage()))
                .orElse(generic);
        return errors.write(modelled, requestId);
    }

    private void checkEnvelope(HttpRequest request) {
        if (!request.method().equals("POST") || !(request.path().equals("/") || request.path().isEmpty())) {
            throw AwsException.clientError("UnknownOperationException",
                    spec.serviceId() + " accepts only POST / requests, not " + request.method() + " " + request.path());
        }
        request.header("Content-Type").ifPresent(value -> {
            String mediaType = value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!ACCEPTED_MEDIA_TYPES.contains(mediaType)) {
                throw new AwsException("UnsupportedMediaTypeException", 415, "Unsupported Content-Type '" + value
                        + "'; expected " + contentType);
            }
        });
    }

    private String operationName(HttpRequest request) {
        String target = request.header(TARGET_HEADER).orElseThrow(() -> AwsException.clientError(
                "UnknownOperationException", "Missing X-Amz-Target header."));
        if (!accepts(request)) {
            throw unknownOperation();
        }
        return target.substring(targetPrefix.length() + 1);
    }

    private AwsException unknownOperation() {
        return AwsException.clientError("UnknownOperationException",
                "The X-Amz-Target does not name an operation of " + targetPrefix + ".");
    }
}
