package dev.stevedore.awsproto;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single entry point of the AWS APIs: picks the endpoint that serves a request, verifies its
 * SigV4 signature for that endpoint's service, and runs it in the credential scope's Region when
 * this door serves that Region.
 *
 * <p>Every failure is an AWS error response, never an exception escaping: signature errors are
 * written by the chosen endpoint in its protocol's format; requests no endpoint accepts get an
 * awsJson {@code UnknownOperationException} (after authentication, as AWS does). This is the one
 * place where anything unexpected, from an endpoint or its handlers, becomes a 500: in the chosen
 * endpoint's format ({@link ProtocolEndpoint#internalError}), else awsJson {@code ServerException}.
 * Endpoints are asked in registration order, so a protocol
 * (awsJson, EC2, Query, and later REST-JSON) is one more {@link ProtocolEndpoint} in the list.
 */
public final class AwsFrontDoor {

    private static final Logger LOG = LoggerFactory.getLogger(AwsFrontDoor.class);

    private final SigV4Verifier verifier;
    private final AwsRegions regions;
    private final List<ProtocolEndpoint> endpoints;
    private final ApiObserver observer;
    private final FaultExplainer faults;
    private final JsonErrorWriter fallbackErrors = JsonErrorWriter.generic();

    /** A front door for every standard AWS Region: each request runs in the Region it was signed for. */
    public AwsFrontDoor(SigV4Verifier verifier, List<? extends ProtocolEndpoint> endpoints) {
        this(verifier, AwsRegions.standard(), endpoints);
    }

    /**
     * A front door for some Regions: each request runs in the Region it was signed for, and requests
     * signed for any other Region (or a name that is no Region) are refused as a regional AWS endpoint
     * refuses them, with {@code InvalidSignatureException} "Credential should be scoped to a valid region".
     */
    public AwsFrontDoor(SigV4Verifier verifier, AwsRegions regions, List<? extends ProtocolEndpoint> endpoints) {
        this(verifier, regions, endpoints, ApiObserver.NONE);
    }

    /** As {@link #AwsFrontDoor(SigV4Verifier, AwsRegions, List)}, telling {@code observer} of every call answered. */
    public AwsFrontDoor(SigV4Verifier verifier, AwsRegions regions, List<? extends ProtocolEndpoint> endpoints,
                        ApiObserver observer) {
        this(verifier, regions, endpoints, observer, FaultExplainer.NONE);
    }

    /**
     * As {@link #AwsFrontDoor(SigV4Verifier, AwsRegions, List, ApiObserver)}, with the 500s of
     * failures {@code faults} explains saying what they mean for the caller.
     */
    public AwsFrontDoor(SigV4Verifier verifier, AwsRegions regions, List<? extends ProtocolEndpoint> endpoints,
                        ApiObserver observer, FaultExplainer faults) {
        this.faults = Objects.requireNonNull(faults, "faults");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.regions = Objects.requireNonNull(regions, "regions");
        this.endpoints = List.copyOf(endpoints);
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    public HttpResponse handle(HttpRequest request) {
        long started = System.nanoTime();
        CallRecord call = new CallRecord();
        Optional<ProtocolEndpoint> endpoint = endpoints.stream().filter(e -> e.accepts(request)).findFirst();
        HttpResponse response = answer(request, endpoint, call);
        observer.answered(endpoint.map(ProtocolEndpoint::signingName).orElse(CallRecord.UNKNOWN), call.operation(),
                call.outcome(), System.nanoTime() - started);
        return response;
    }

    private HttpResponse answer(HttpRequest request, Optional<ProtocolEndpoint> endpoint, CallRecord call) {
        String requestId = ProtocolEndpoint.newRequestId();
        try {
            VerifiedRequest verified = endpoint.isPresent()
                    ? verifier.verify(request, endpoint.get().signingName())
                    : verifier.verify(request);
            if (!regions.contains(verified.region())) {
                throw new SigV4Exception(SigV4Exception.Reason.INVALID_CREDENTIAL_SCOPE,
                        "Credential should be scoped to a valid region, not '" + verified.region() + "'. ");
            }
            if (endpoint.isEmpty()) {
                throw AwsException.clientError("UnknownOperationException", "No service of this server handles "
                        + request.header("X-Amz-Target").map(t -> "the target '" + t + "'").orElse("this request")
                        + ".");
            }
            return endpoint.get().handle(request, verified.principal(), verified.region(), requestId, call);
        } catch (AwsException e) {
            call.failed(e.code());
            if (e instanceof SigV4Exception refused) {
                observer.signatureRefused(endpoint.map(ProtocolEndpoint::signingName).orElse(CallRecord.UNKNOWN),
                        refused.reason());
            }
            LOG.debug("Refused {} (request {}): {} {}", request, requestId, e.code(), e.getMessage());
            return endpoint.isPresent() ? endpoint.get().error(e, requestId) : fallbackErrors.write(e, requestId);
        } catch (RuntimeException | StackOverflowError e) {
            // A stack overflow is a deep recursion on one hostile input, not a broken JVM: answer it.
            call.failed(CallRecord.UNHANDLED);
            Optional<String> explained = faults.explain(e);
            if (explained.isPresent()) {
                // Known and already logged where it happened (a full disk): one line, no stack trace per request.
                LOG.warn("Failed {} (request {}): {}", request, requestId, explained.get());
                return endpoint.isPresent() ? endpoint.get().internalError(requestId, explained.get())
                        : fallbackErrors.write(JsonErrorWriter.serverException(requestId, explained.get()), requestId);
            }
            LOG.error("Unhandled failure for {} (request {})", request, requestId, e);
            return endpoint.isPresent() ? endpoint.get().internalError(requestId)
                    : fallbackErrors.write(JsonErrorWriter.serverException(requestId), requestId);
        }
    }
}
