package dev.stevedore.awsproto;

import java.util.List;
import java.util.Optional;

/**
 * Answers for requests the HTTP edge refuses before their body is read, and so before any
 * {@link ProtocolEndpoint} has been chosen: too many requests in flight ({@link #throttled}) and a
 * body larger than any API call may carry ({@link #tooLarge}).
 *
 * <p>Only the head of the request is known then, so the protocol is picked by the request's shape:
 * a request with {@code X-Amz-Target} is an awsJson call; one signed for a REST-JSON service (EFS) is
 * that service's, answered in REST-JSON with its modelled {@code ThrottlingException} (429); a form post or a {@code GET} is a call of a
 * Query service (IAM, STS) when its query string's {@code Version} is that service's or its signature's
 * credential scope names that service, else an EC2 query call; anything else gets the awsJson format,
 * which is what ECS clients (the ones this server is mostly for) read. Every format carries the code an
 * SDK's standard retry mode treats as throttling, so a refused call is retried with back-off.
 */
public final class EdgeRefusals {

    /** ECS's words when it throttles a call (HTTP 400, as every awsJson service throttles). */
    static final String JSON_THROTTLING_MESSAGE = "Rate exceeded";
    /** EC2's words when it throttles a call; EC2 answers 503 for it. */
    static final String EC2_THROTTLING_MESSAGE = "Request limit exceeded.";
    /** The Query services' words when they throttle a call ("Throttling", 400, Sender). */
    static final String QUERY_THROTTLING_MESSAGE = "Rate exceeded";

    /** The services of protocol {@code query} that Stevedore serves. */
    private static final List<ServiceSpec> QUERY_SERVICES =
            List.of(ServiceSpec.load("iam-2010-05-08"), ServiceSpec.load("sts-2011-06-15"),
                    ServiceSpec.load("elbv2-2015-12-01"));

    private static final JsonErrorWriter JSON_ERRORS = JsonErrorWriter.generic();
    /** The services of protocol {@code rest-json} that Stevedore serves. */
    private static final List<ServiceSpec> REST_JSON_SERVICES = List.of(ServiceSpec.load("efs-2015-02-01"));

    private EdgeRefusals() {
    }

    /** The wire protocol a request is in, judged from its head alone. */
    enum WireShape {
        AWS_JSON, REST_JSON, EC2_QUERY, QUERY;

        /** Picks by shape: see the class comment. */
        static WireShape of(HttpRequest head) {
            if (head.header("X-Amz-Target").isEmpty() && restJsonService(head).isPresent()) {
                return REST_JSON;
            }
            if (head.header("X-Amz-Target").isPresent() || !FormParameters.carriesParameters(head)) {
                return AWS_JSON;
            }
            return queryService(head).isPresent() ? QUERY : EC2_QUERY;
        }
    }

    /** The REST-JSON service a request is signed for, if any. */
    static Optional<ServiceSpec> restJsonService(HttpRequest head) {
        Optional<String> signedFor = SigV4Auth.scopeService(head);
        return REST_JSON_SERVICES.stream().filter(spec -> signedFor.filter(spec.signingName()::equals).isPresent())
                .findFirst();
    }

    /** The Query service a form request is for, judged from its head (see the class comment). */
    static Optional<ServiceSpec> queryService(HttpRequest head) {
        Optional<String> version = FormProtocolEndpoint.parametersOf(head).flatMap(p -> p.get("Version"));
        Optional<String> signedFor = SigV4Auth.scopeService(head);
        return QUERY_SERVICES.stream().filter(spec -> version.isPresent()
                ? version.get().equals(spec.apiVersion())
                : signedFor.filter(spec.signingName()::equals).isPresent()).findFirst();
    }

    /**
     * A throttling answer: awsJson {@code ThrottlingException} (400), EC2 {@code RequestLimitExceeded}
     * (503) or Query {@code Throttling} (400); botocore's and the Java SDK v2's standard retry modes
     * retry all three codes as throttling.
     */
    public static HttpResponse throttled(HttpRequest head) {
        return switch (WireShape.of(head)) {
            case AWS_JSON -> json(AwsException.clientError("ThrottlingException", JSON_THROTTLING_MESSAGE));
            case REST_JSON -> restJson(head, new AwsException("ThrottlingException", 429, JSON_THROTTLING_MESSAGE));
            case EC2_QUERY -> ec2(new AwsException("RequestLimitExceeded", 503, EC2_THROTTLING_MESSAGE));
            case QUERY -> query(head, AwsException.clientError("Throttling", QUERY_THROTTLING_MESSAGE));
        };
    }

    /** A 413 for a body over {@code limit} bytes, in the request's protocol. */
    public static HttpResponse tooLarge(HttpRequest head, long declaredBytes, int limit) {
        String message = (declaredBytes < 0 ? "Request body" : "Request body of " + declaredBytes + " bytes")
                + " exceeds the limit of " + limit + " bytes.";
        return switch (WireShape.of(head)) {
            case AWS_JSON -> json(new AwsException("RequestEntityTooLargeException", 413, message));
            case REST_JSON -> restJson(head, new AwsException("RequestEntityTooLargeException", 413, message));
            case EC2_QUERY -> ec2(new AwsException("RequestEntityTooLarge", 413, message));
            case QUERY -> query(head, new AwsException("RequestEntityTooLarge", 413, message));
        };
    }

    private static HttpResponse json(AwsException error) {
        return JSON_ERRORS.write(error, ProtocolEndpoint.newRequestId());
    }

    private static HttpResponse restJson(HttpRequest head, AwsException error) {
        return JsonErrorWriter.forRestJson(restJsonService(head).orElseThrow()).write(error, ProtocolEndpoint.newRequestId());
    }

    private static HttpResponse query(HttpRequest head, AwsException error) {
        return QueryProtocolEndpoint.errorResponse(queryService(head).orElseThrow(), error,
                ProtocolEndpoint.newRequestId());
    }

    private static HttpResponse ec2(AwsException error) {
        return Ec2ProtocolEndpoint.errorResponse(error, ProtocolEndpoint.newRequestId());
    }
}
