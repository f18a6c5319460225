package dev.stevedore.control.access;

import dev.stevedore.awsproto.AccessRequest;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The access requests of one call, in the order they are to be asked, each once: a task role that is
 * also the execution role is passed once, a Describe naming a resource twice asks once.
 */
public final class RequestList {
    /** The service an ECS task's roles are passed to, as {@code iam:PassedToService} names it. */
    public static final String ECS_TASKS = "ecs-tasks.amazonaws.com";

    private final Set<AccessRequest> requests = new LinkedHashSet<>();

    public RequestList add(String action, String resource, Conditions conditions) {
        requests.add(new AccessRequest(action, resource, conditions.toMap()));
        return this;
    }

    public RequestList add(String action, String resource) {
        requests.add(new AccessRequest(action, resource, Map.of()));
        return this;
    }

    /** {@code iam:PassRole} on {@code roleArn}, for handing the role to {@code service}. */
    public RequestList passRole(String roleArn, String service) {
        return add("iam:PassRole", roleArn, Conditions.none().with("iam:PassedToService", service));
    }

    /**
     * The requests, or {@code action} on {@code *} when the call named nothing to ask about (a
     * Describe of an empty list): a call is never let through unasked, and with nothing named only a
     * grant on every resource allows it.
     */
    public List<AccessRequest> toListOr(String action) {
        if (requests.isEmpty()) {
            requests.add(AccessRequest.anyResource(action));
        }
        return toList();
    }

    public List<AccessRequest> toList() {
        return List.copyOf(requests);
    }
}
