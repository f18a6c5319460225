package dev.stevedore.scheduler;

import java.util.List;
import java.util.Objects;

/**
 * A request to place {@code count} identical tasks.
 *
 * <p>The constructor validates what ECS validates and throws
 * {@link InvalidPlacementRequestException} with a message fit for {@code InvalidParameterException}.
 *
 * @param requestId identifies the request; the seed of every random choice is derived from it,
 *     so the same request on the same snapshot always yields the same plan
 * @param task what each task needs
 * @param launchType which instances are eligible at all
 * @param count how many tasks, 1 to 10
 * @param group the task group ({@code family:<name>} by default, {@code service:<name>} for
 *     services), up to 255 characters; it scopes {@code distinctInstance} and {@code spread}
 * @param constraints task-definition and request constraints together, at most 10
 * @param strategies at most 5, the first ranking and each later one breaking ties; none means
 *     a seeded random choice
 */
public record PlacementRequest(
        String requestId,
        TaskRequirements task,
        LaunchType launchType,
        int count,
        String group,
        List<PlacementConstraint> constraints,
        List<PlacementStrategy> strategies) {

    public static final int MAX_COUNT = 10;
    public static final int MAX_CONSTRAINTS = 10;
    public static final int MAX_STRATEGIES = 5;
    public static final int MAX_GROUP_LENGTH = 255;

    public PlacementRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(launchType, "launchType");
        Objects.requireNonNull(group, "group");
        constraints = List.copyOf(constraints);
        strategies = List.copyOf(strategies);
        if (count < 1 || count > MAX_COUNT) {
            throw new InvalidPlacementRequestException("count must be between 1 and " + MAX_COUNT + ", was " + count);
        }
        if (group.isEmpty() || group.length() > MAX_GROUP_LENGTH) {
            throw new InvalidPlacementRequestException(
                    "group must be 1 to " + MAX_GROUP_LENGTH + " characters, was " + group.length());
        }
        if (constraints.size() > MAX_CONSTRAINTS) {
            throw new InvalidPlacementRequestException("A task can have at most " + MAX_CONSTRAINTS
                    + " placement constraints, including those of its task definition; got " + constraints.size());
        }
        if (strategies.size() > MAX_STRATEGIES) {
            throw new InvalidPlacementRequestException("At most " + MAX_STRATEGIES
                    + " placement strategies are allowed; got " + strategies.size());
        }
    }
}
