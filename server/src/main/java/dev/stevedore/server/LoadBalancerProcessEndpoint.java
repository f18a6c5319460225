package dev.stevedore.server;

import static dev.stevedore.server.OwnEndpointAnswers.error;
import static dev.stevedore.server.OwnEndpointAnswers.json;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.HttpResponse;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.SigV4Exception;
import dev.stevedore.awsproto.SigV4Verifier;
import dev.stevedore.lb.ReadingsReport;
import dev.stevedore.server.lb.ExternalDataPlanes;
import java.util.Optional;

/**
 * Stevedore's own endpoints for load balancer processes ({@code stevedore lb}), both SigV4-signed by the root of the
 * account this server serves (the keys {@code stevedore env} prints), as {@code token} and {@code reset} are:
 * <ul>
 *   <li>{@code GET /_stevedore/lb/config}: a stream of server-sent events, {@code config} with the whole
 *       configuration as JSON, at once and on every change;</li>
 *   <li>{@code POST /_stevedore/lb/readings}: the process's health-check readings ({@link ReadingsReport}).</li>
 * </ul>
 * The root only, because the configuration covers every load balancer of the machine. On a server that runs its
 * data plane itself (no {@code up --lb external}) both answer 404 with what to do.
 */
final class LoadBalancerProcessEndpoint {
    static final String CONFIG = "/_stevedore/lb/config";
    static final String READINGS = "/_stevedore/lb/readings";

    private final Optional<ExternalDataPlanes> planes;
    private final SigV4Verifier verifier;
    private final String accountId;

    LoadBalancerProcessEndpoint(Optional<ExternalDataPlanes> planes, SigV4Verifier verifier, String accountId) {
        this.planes = planes;
        this.verifier = verifier;
        this.accountId = accountId;
    }

    boolean accepts(HttpRequest request) {
        return request.path().equals(CONFIG) || request.path().equals(READINGS);
    }

    /** The configuration stream, for a well-signed GET of it; anything else is answered by {@link #handle}. */
    Optional<EventStream> stream(HttpRequest request) {
        if (!request.path().equals(CONFIG) || !request.method().equals("GET") || planes.isEmpty()) {
            return Optional.empty();
        }
        try {
            root(request);
        } catch (SigV4Exception | NotRoot e) {
            return Optional.empty();
        }
        return Optional.of(planes.get().stream());
    }

    HttpResponse handle(HttpRequest request) {
        if (planes.isEmpty()) {
            return json(404, error("ResourceNotFoundException", "This server runs its load balancers' data plane "
                    + "itself; start it with `stevedore up --lb external` to serve them from `stevedore lb` processes."));
        }
        String method = request.path().equals(CONFIG) ? "GET" : "POST";
        if (!method.equals(request.method())) {
            return json(405, error("MethodNotAllowed", "Use " + method + " " + request.path() + "."));
        }
        try {
            root(request);
            if (request.path().equals(CONFIG)) {
                // A well-signed GET got its stream before reaching here.
                return json(400, error("InvalidParameterException", "Could not open the stream."));
            }
            planes.get().report(ReadingsReport.fromJson(request.body()));
            return json(200, JsonNodeFactory.instance.objectNode());
        } catch (SigV4Exception e) {
            return json(403, error(e.code(), e.getMessage()));
        } catch (NotRoot e) {
            return json(403, error("AccessDeniedException", e.getMessage()));
        } catch (IllegalArgumentException e) {
            return json(400, error("InvalidParameterException", e.getMessage()));
        }
    }

    /** A well-signed call by someone other than the account root. */
    private static final class NotRoot extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotRoot(String message) {
            super(message);
        }
    }

    private void root(HttpRequest request) {
        Principal caller = verifier.verify(request).principal();
        if (!caller.isRoot() || !caller.accountId().equals(accountId)) {
            throw new NotRoot("Only the root of account " + accountId + " runs load balancer processes; "
                    + caller.arn() + " is not it.");
        }
    }
}
