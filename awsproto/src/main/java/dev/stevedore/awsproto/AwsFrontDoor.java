package dev.stevedore.awsproto;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single entry point of the AWS APIs: picks the endpoint that serves a request, verifies its
 * SigV4 signature for that endpoint's service, and runs it in the credential scope's region.
 *
 * <p>Every failure is an AWS error response, never an exception escaping: signature errors are
 * written by the chosen endpoint in its protocol's format; requests no endpoint accepts get an
 * awsJson {@code UnknownOperationException} (after authentication, as AWS does), and anything
 * unexpected a 500 {@code ServerException}. Endpoints are asked in registration order, so a new
 * protocol (Query, EC2, REST-JSON) is one more {@link ProtocolEndpoint} in the list.
 */
public final class AwsFrontDoor {

    private static final Logger LOG = LoggerFactory.getLogger(AwsFrontDoor.class);

    private final SigV4Verifier verifier;
    private final Optional<String> region;
    private final List<ProtocolEndpoint> endpoints;
    private final JsonErrorWriter fallbackErrors = JsonErrorWriter.generic();

    /** A front door for every region: each request runs in the region it was signed for. */
    public AwsFrontDoor(SigV4Verifier verifier, List<? extends ProtocolEndpoint> endpoints) {
        this(verifier, Optional.empty(), endpoints);
    }

    /**
     * A front door for one region, like a regional AWS endpoint: requests signed for another region
     * are refused with {@code InvalidSignatureException} "Credential should be scoped to a valid region".
     */
    public AwsFrontDoor(SigV4Verifier verifier, String region, List<? extends ProtocolEndpoint> endpoints) {
        this(verifier, Optional.of(region), endpoints);
    }

    private AwsFrontDoor(SigV4Verifier verifier, Optional<String> region, List<? extends ProtocolEndpoint> endpoints) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.region = Objects.requireNonNull(region, "region");
        this.endpoints = List.copyOf(endpoints);
    }

    public HttpResponse handle(HttpRequest request) {
        String requestId = ProtocolEndpoint.newRequestId();
        Optional<ProtocolEndpoint> endpoint = Optional.empty();
        try {
            endpoint = endpoints.stream().filter(e -> e.accepts(request)).findFirst();
            VerifiedRequest verified = endpoint.isPresent()
                    ? verifier.verify(request, endpoint.get().signingName())
                    : verifier.verify(request);
            if (region.isPresent() && !region.get().equals(verified.region())) {
                throw new SigV4Exception(SigV4Exception.Reason.INVALID_CREDENTIAL_SCOPE,
                        "Credential should be scoped to a valid region, not '" + verified.region() + "'. ");
            }
            if (endpoint.isEmpty()) {
                throw AwsException.clientError("UnknownOperationException", "No service of this server handles "
                        + request.header("X-Amz-Target").map(t -> "the target '" + t + "'").orElse("this request")
                        + ".");
            }
            return endpoint.get().handle(request, verified.principal(), verified.region(), requestId);
        } catch (AwsException e) {
            LOG.debug("Refused {} (request {}): {} {}", request, requestId, e.code(), e.getMessage());
            return endpoint.isPresent() ? endpoint.get().error(e, requestId) : fallbackErrors.write(e, requestId);
        } catch (RuntimeException e) {
            LOG.error("Unhandled failure for {} (request {})", request, requestId, e);
            AwsException fault = new AwsException("ServerException", 500,
                    "The server encountered an internal error. Request id: " + requestId);
            return fallbackErrors.write(fault, requestId);
        }
    }
}
