package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.Absent.isBlank;

import dev.stevedore.model.ecs.TaskDefinitionPlacementConstraint;
import java.util.List;

/**
 * Placement constraints written into a task definition. The wire layer already allows only
 * memberOf here (distinctInstance is a run-time choice); what is left is the expression.
 */
final class PlacementConstraintRules {

    /** Per task, counting the definition's and the request's (service quota). */
    static final int MAX_CONSTRAINTS = 10;
    /** The cluster query language's documented limit. */
    static final int MAX_EXPRESSION_LENGTH = 2000;

    private PlacementConstraintRules() {
    }

    static void check(List<TaskDefinitionPlacementConstraint> constraints) {
        // All texts unverified.
        if (constraints.size() > MAX_CONSTRAINTS) {
            throw InvalidTaskDefinitionException.client("Too many placement constraints. A task definition can have at most 10.");
        }
        for (TaskDefinitionPlacementConstraint constraint : constraints) {
            if (isBlank(constraint.expression()) || constraint.expression().isBlank()) {
                throw InvalidTaskDefinitionException.client("A memberOf placement constraint requires an expression.");
            }
            if (constraint.expression().length() > MAX_EXPRESSION_LENGTH) {
                throw InvalidTaskDefinitionException.client("Placement constraint expressions can be at most 2000 characters.");
            }
        }
    }
}
