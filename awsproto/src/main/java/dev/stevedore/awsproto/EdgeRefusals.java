package dev.stevedore.awsproto;

/**
 * Answers for requests the HTTP edge refuses before their body is read, and so before any
 * {@link ProtocolEndpoint} has been chosen: too many requests in flight ({@link #throttled}) and a
 * body larger than any API call may carry ({@link #tooLarge}).
 *
 * <p>Only the head of the request is known then, so the protocol is picked by the request's shape:
 * a request with {@code X-Amz-Target} is an awsJson call, a form post or a {@code GET} with
 * parameters is an EC2 query call, and anything else gets the awsJson format, which is what ECS
 * clients (the ones this server is mostly for) read. Both formats carry the code an SDK's standard
 * retry mode treats as throttling, so a refused call is retried with back-off.
 */
public final class EdgeRefusals {

    /** ECS's words when it throttles a call (HTTP 400, as every awsJson service throttles). */
    static final String JSON_THROTTLING_MESSAGE = "Rate exceeded";
    /** EC2's words when it throttles a call; EC2 answers 503 for it. */
    static final String EC2_THROTTLING_MESSAGE = "Request limit exceeded.";

    private static final JsonErrorWriter JSON_ERRORS = JsonErrorWriter.generic();

    private EdgeRefusals() {
    }

    /** The wire protocol a request is in, judged from its head alone. */
    enum WireShape {
        AWS_JSON, EC2_QUERY;

        /** Picks by shape: see the class comment. */
        static WireShape of(HttpRequest head) {
            if (head.header("X-Amz-Target").isPresent()) {
                return AWS_JSON;
            }
            return FormParameters.carriesParameters(head) ? EC2_QUERY : AWS_JSON;
        }
    }

    /**
     * A throttling answer: awsJson {@code ThrottlingException} (400) or EC2 {@code RequestLimitExceeded}
     * (503); botocore's and the Java SDK v2's standard retry modes retry both codes as throttling.
     */
    public static HttpResponse throttled(HttpRequest head) {
        return switch (WireShape.of(head)) {
            case AWS_JSON -> json(AwsException.clientError("ThrottlingException", JSON_THROTTLING_MESSAGE));
            case EC2_QUERY -> ec2(new AwsException("RequestLimitExceeded", 503, EC2_THROTTLING_MESSAGE));
        };
    }

    /** A 413 for a body over {@code limit} bytes, in the request's protocol. */
    public static HttpResponse tooLarge(HttpRequest head, long declaredBytes, int limit) {
        String message = (declaredBytes < 0 ? "Request body" : "Request body of " + declaredBytes + " bytes")
                + " exceeds the limit of " + limit + " bytes.";
        return switch (WireShape.of(head)) {
            case AWS_JSON -> json(new AwsException("RequestEntityTooLargeException", 413, message));
            case EC2_QUERY -> ec2(new AwsException("RequestEntityTooLarge", 413, message));
        };
    }

    private static HttpResponse json(AwsException error) {
        return JSON_ERRORS.write(error, ProtocolEndpoint.newRequestId());
    }

    private static HttpResponse ec2(AwsException error) {
        return Ec2ProtocolEndpoint.errorResponse(error, ProtocolEndpoint.newRequestId());
    }
}
