package dev.stevedore.server.agentchannel;

import dev.stevedore.awsproto.AccessDenials;
import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.Authorizer;
import dev.stevedore.awsproto.AwsRegions;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.SigV4Exception;
import dev.stevedore.awsproto.SigV4Verifier;
import dev.stevedore.awsproto.VerifiedRequest;
import dev.stevedore.control.ecs.agent.AgentStates;
import dev.stevedore.control.ecs.agent.AgentStates.InstanceRef;
import dev.stevedore.control.ecs.instance.InstanceStatus;
import dev.stevedore.model.agent.AgentChannel;
import dev.stevedore.model.ecs.ContainerInstance;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides whether a WebSocket handshake may become an agent channel. The URL must be presigned
 * with SigV4 for the {@code ecs} service in a Region this server serves (the agent presigns it with
 * the same keys it calls the API with), and name, in {@link AgentChannel#INSTANCE_PARAMETER}, a
 * registered, not deregistered container instance of the signer's account in that Region; and the
 * signer must be allowed {@value #ACTION} on that instance, with {@code ecs:cluster} its cluster's ARN
 * (what the agent's connection is on ECS, which the instance role's managed policy grants).
 *
 * <p>Statuses: 404 for another path or an unknown instance (an agent whose instance is gone must
 * register again), 400 for a missing or malformed instance parameter, 401 for an unsigned request,
 * 403 for a signature that does not verify or a caller not allowed {@value #ACTION}, 410 for a
 * deregistered instance.
 */
final class ChannelAuthenticator {
    static final String SIGNING_SERVICE = "ecs";
    static final String ACTION = "ecs:Poll";

    private final SigV4Verifier verifier;
    private final Authorizer authorizer;
    private final AwsRegions regions;
    private final AgentStates states;

    ChannelAuthenticator(SigV4Verifier verifier, Authorizer authorizer, AwsRegions regions, AgentStates states) {
        this.verifier = verifier;
        this.authorizer = authorizer;
        this.regions = regions;
        this.states = states;
    }

    /** Blocking (reads the store): call it off the event loop. */
    Admission admit(HttpRequest request) {
        if (!AgentChannel.PATH.equals(request.path())) {
            return new Admission.Refused(404, "no WebSocket endpoint at " + request.path());
        }
        VerifiedRequest verified;
        try {
            verified = verifier.verify(request, SIGNING_SERVICE);
        } catch (SigV4Exception e) {
            int status = e.reason() == SigV4Exception.Reason.MISSING_AUTHENTICATION ? 401 : 403;
            return new Admission.Refused(status, e.code() + ": " + e.getMessage());
        }
        if (!regions.contains(verified.region())) {
            return new Admission.Refused(403, "signed for Region " + verified.region() + ", which this server does not serve");
        }
        Optional<String> arn = queryParameter(request.rawQuery(), AgentChannel.INSTANCE_PARAMETER);
        if (arn.isEmpty()) {
            return new Admission.Refused(400, "the " + AgentChannel.INSTANCE_PARAMETER + " parameter is missing");
        }
        Optional<InstanceRef> ref = InstanceRef.parse(arn.get());
        if (ref.isEmpty()) {
            return new Admission.Refused(400, "not a container instance ARN: " + arn.get());
        }
        InstanceRef instance = ref.get();
        // Another account's instance is reported as unknown: its existence is not the caller's business.
        // An instance of another Region is unknown too, as it is to that Region's endpoint on AWS.
        if (!instance.scope().accountId().equals(verified.principal().accountId())
                || !instance.scope().region().equals(verified.region())) {
            return new Admission.Refused(404, "unknown container instance " + instance.arn());
        }
        AccessRequest poll = new AccessRequest(ACTION, instance.arn(), Map.of("ecs:cluster",
                List.of(instance.scope().arnPrefix() + "cluster/" + instance.cluster())));
        // As at the API's edge (GuardedOperations): no policy restricts the account root.
        Optional<String> denial = verified.principal().isRoot() ? Optional.empty()
                : authorizer.denial(new CallContext(UUID.randomUUID().toString(), verified.principal(), "Poll",
                        verified.region()), poll);
        if (denial.isPresent()) {
            return new Admission.Refused(403, "AccessDeniedException: "
                    + AccessDenials.sentence(verified.principal(), poll, denial.get()));
        }
        Optional<ContainerInstance> record = states.instance(instance);
        if (record.isEmpty()) {
            return new Admission.Refused(404, "unknown container instance " + instance.arn());
        }
        if (InstanceStatus.INACTIVE.equals(record.get().status())) {
            return new Admission.Refused(410, "container instance " + instance.arn() + " was deregistered");
        }
        return new Admission.Admitted(instance);
    }

    /** The first value of a query parameter, percent-decoded. */
    static Optional<String> queryParameter(String rawQuery, String name) {
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(key).equals(name)) {
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static String decode(String text) {
        try {
            // '+' is a literal plus in SigV4's encoding; URLDecoder would read it as a space.
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
