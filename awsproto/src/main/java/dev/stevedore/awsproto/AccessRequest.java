package dev.stevedore.awsproto;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One permission a call needs: an IAM action on a resource, with the service-specific condition keys
 * the call supplies (e.g. {@code ecs:cluster}). A call may need several (RunTask naming a task role
 * needs {@code ecs:RunTask} on the task definition and {@code iam:PassRole} on the role).
 *
 * @param action        {@code service:Operation}, e.g. {@code ecs:RunTask}
 * @param resource      the resource's ARN, or {@code *} for actions that take no resource
 * @param conditionKeys condition keys of this request beyond the global ones (names as IAM spells them)
 */
public record AccessRequest(String action, String resource, Map<String, List<String>> conditionKeys) {

    public AccessRequest {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        conditionKeys = Map.copyOf(conditionKeys);
    }

    public AccessRequest(String action, String resource) {
        this(action, resource, Map.of());
    }

    /** An action that IAM authorizes on no particular resource ({@code *}). */
    public static AccessRequest anyResource(String action) {
        return new AccessRequest(action, "*");
    }
}
