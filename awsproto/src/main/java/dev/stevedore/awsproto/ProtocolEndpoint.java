package dev.stevedore.awsproto;

import java.util.UUID;

/**
 * One AWS wire protocol serving one service: it recognises its requests, runs them and writes
 * answers and errors in its own format. The awsJson services are {@link JsonProtocolEndpoint}s, EC2
 * is an {@link Ec2ProtocolEndpoint}, IAM and STS are {@link QueryProtocolEndpoint}s; further protocols
 * (REST-JSON for EFS) are further implementations, added without touching the existing ones. {@link AwsFrontDoor} asks each endpoint in turn whether it
 * {@linkplain #accepts accepts} a request.
 */
public interface ProtocolEndpoint {

    /**
     * Whether this endpoint serves the request, judged only from what identifies the service on the
     * wire (target header, form {@code Action}/{@code Version}, path prefix). Must not throw.
     */
    boolean accepts(HttpRequest request);

    /** The SigV4 credential-scope service name requests to this endpoint must be signed for. */
    String signingName();

    /**
     * Runs an authenticated request. Every {@link AwsException} becomes an error response in this
     * protocol's format, carrying the request id; anything else escapes to {@link AwsFrontDoor}, the
     * one place that turns unexpected failures into a 500 (with {@link #internalError}). The endpoint
     * records in {@code call} the operation (once its model knows the name) and the error code answered.
     */
    HttpResponse handle(HttpRequest request, Principal principal, String region, String requestId, CallRecord call);

    /** Runs an authenticated request; what it turned out to be is not kept. */
    default HttpResponse handle(HttpRequest request, Principal principal, String region, String requestId) {
        return handle(request, principal, region, requestId, new CallRecord());
    }

    /** Runs an authenticated request under a fresh request id. */
    default HttpResponse handle(HttpRequest request, Principal principal, String region) {
        return handle(request, principal, region, newRequestId());
    }

    /**
     * Writes an error raised outside the handler (for example by signature verification) in this
     * protocol's format. A protocol whose error codes differ from the JSON services' (Query services
     * say {@code SignatureDoesNotMatch} where JSON services say {@code InvalidSignatureException})
     * maps {@link SigV4Exception#reason()} to its own code here.
     */
    HttpResponse error(AwsException error, String requestId);

    /**
     * This protocol's 500 for a failure nobody expected, telling the caller nothing but the request id
     * (awsJson {@code ServerException}, EC2 {@code InternalError}, Query {@code InternalFailure}).
     */
    HttpResponse internalError(String requestId);

    /**
     * This protocol's 500 with its code and {@code message} instead of the generic one: for a
     * failure whose meaning for the caller is known (see {@link FaultExplainer}).
     */
    HttpResponse internalError(String requestId, String message);

    /** A request id in the format AWS uses. */
    static String newRequestId() {
        return UUID.randomUUID().toString();
    }
}
