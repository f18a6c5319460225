package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST-JSON protocol endpoint for one service (EFS's {@code rest-json}).
 *
 * <p>A request is for this service when its SigV4 credential scope names the service's signing name:
 * REST paths do not say which service they belong to, the signature does. The operation is the one
 * whose HTTP method and {@code requestUri} template fit the request (the template with more literal
 * segments first, so {@code /file-systems/replication-configurations} is not read as a file system
 * id). Its input is gathered from the path labels, query string, headers and JSON body
 * ({@link RestJsonInput}), checked against the input shape with the service's
 * {@link ValidationPolicy}, and handed to the registered {@link JsonOperation}. The answer carries
 * the model's status for the operation (201, 204…) and the output as JSON, members bound to headers
 * written as headers; an operation without output answers an empty body. Errors are JSON with the
 * {@code X-Amzn-ErrorType} header ({@link JsonErrorWriter#forRestJson}).
 */
public final class RestJsonProtocolEndpoint implements ProtocolEndpoint {

    static final String CONTENT_TYPE = "application/json";
    private static final Logger LOG = LoggerFactory.getLogger(RestJsonProtocolEndpoint.class);
    private static final byte[] NO_BODY = new byte[0];

    private record Route(OperationSpec operation, UriTemplate template) {
    }

    private final ServiceSpec spec;
    private final Map<String, JsonOperation> operations;
    private final List<Route> routes;
    private final InputValidator validator;
    private final RestJsonInput inputs;
    private final JsonBodyReader bodies;
    private final JsonErrorWriter errors;

    /** An endpoint that reports input outside the model with the service's {@link ValidationPolicy#forService policy}. */
    public RestJsonProtocolEndpoint(ServiceSpec spec, Map<String, JsonOperation> operations) {
        this(spec, ValidationPolicy.forService(spec), operations);
    }

    /**
     * @param operations handlers by operation name; names must exist in the model, operations without a
     *                   handler answer {@code UnknownOperationException}
     */
    public RestJsonProtocolEndpoint(ServiceSpec spec, ValidationPolicy policy, Map<String, JsonOperation> operations) {
        this.spec = Objects.requireNonNull(spec, "spec");
        if (!spec.protocol().equals("rest-json")) {
            throw new IllegalArgumentException(spec.name() + " uses protocol " + spec.protocol() + ", not rest-json");
        }
        operations.keySet().stream().filter(name -> spec.operation(name).isEmpty()).findFirst().ifPresent(name -> {
            throw new IllegalArgumentException(spec.name() + " has no operation " + name);
        });
        this.operations = Map.copyOf(operations);
        this.routes = spec.operationNames().stream()
                .map(name -> spec.operation(name).orElseThrow())
                .map(op -> new Route(op, UriTemplate.parse(op.requestUri())))
                .sorted(Comparator.comparingInt((Route r) -> r.template().literals()).reversed())
                .toList();
        this.validator = new InputValidator(spec, policy);
        this.inputs = new RestJsonInput(spec, policy);
        this.bodies = new JsonBodyReader(policy, JsonProtocolEndpoint.Options.DEFAULT_MAX_NESTING_DEPTH);
        this.errors = JsonErrorWriter.forRestJson(spec);
    }

    public ServiceSpec spec() {
        return spec;
    }

    @Override
    public boolean accepts(HttpRequest request) {
        return SigV4Auth.scopeService(request).filter(spec.signingName()::equals).isPresent();
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
            Route route = route(request);
            OperationSpec op = route.operation();
            operation = op.name();
            call.operation(op.name());
            JsonOperation handler = operations.get(op.name());
            if (handler == null) {
                throw AwsException.clientError("UnknownOperationException",
                        "Operation " + op.name() + " is not supported by this server.");
            }
            Map<String, String> labels = route.template().match(request.path()).orElseThrow();
            ObjectNode input = bodies.parse(request.body());
            op.input().ifPresent(shape -> {
                inputs.read(spec.shape(shape), labels, request, input);
                validator.validate(shape, input);
            });
            Object output = handler.handle(new CallContext(requestId, principal, op.name(), region, request.sourceIp()),
                    input);
            return answer(op, output, requestId);
        } catch (AwsException e) {
            JsonProtocolEndpoint.logAnswered(LOG, spec.serviceId(), operation, e, requestId);
            call.failed(e.code());
            return errors.write(e, requestId);
        }
    }

    private Route route(HttpRequest request) {
        List<Route> fitting = routes.stream().filter(r -> r.template().match(request.path()).isPresent()).toList();
        return fitting.stream().filter(r -> r.operation().httpMethod().equals(request.method())).findFirst()
                .orElseThrow(() -> fitting.isEmpty()
                        ? new AwsException("UnknownOperationException", 404, "No operation of " + spec.serviceId()
                                + " has the path " + request.path() + ".")
                        : new AwsException("UnknownOperationException", 405, "No operation of " + spec.serviceId()
                                + " answers " + request.method() + " " + request.path() + "."));
    }

    private HttpResponse answer(OperationSpec op, Object output, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-amzn-RequestId", requestId);
        int status = op.responseCode().orElse(200);
        if (op.output().isEmpty() || output == null) {
            return new HttpResponse(status, headers, NO_BODY);
        }
        JsonNode tree = AwsJson.mapper().valueToTree(output);
        if (tree instanceof ObjectNode body) {
            for (Member member : spec.shape(op.output().get()).members().values()) {
                if (member.location().filter("header"::equals).isPresent() && body.has(spec.memberKey(member))) {
                    headers.put(member.wireName(), body.remove(spec.memberKey(member)).asText());
                }
            }
        }
        headers.put("Content-Type", CONTENT_TYPE);
        return new HttpResponse(status, headers, AwsJson.toBytes(tree));
    }

    @Override
    public HttpResponse error(AwsException error, String requestId) {
        return errors.write(error, requestId);
    }

    @Override
    public HttpResponse internalError(String requestId) {
        return internalError(requestId, "The server encountered an internal error. Request id: " + requestId);
    }

    @Override
    public HttpResponse internalError(String requestId, String message) {
        // EFS models InternalServerError; a service without it gets the generic InternalFailure.
        return errors.write(new AwsException(spec.errorShape("InternalServerError").isPresent()
                ? "InternalServerError" : "InternalFailure", 500, message), requestId);
    }
}
