package dev.stevedore.scheduler;

import dev.stevedore.scheduler.query.ClusterQuery;
import dev.stevedore.scheduler.query.QuerySyntaxException;
import java.util.Objects;
import java.util.Optional;

/**
 * A hard rule on where a task may go ({@code placementConstraints}); an instance that breaks one
 * is not a candidate.
 */
public sealed interface PlacementConstraint {

    /** The longest {@code memberOf} expression ECS accepts. */
    int MAX_EXPRESSION_LENGTH = 2000;

    /** {@code distinctInstance}: no two tasks of the request's task group on one instance. */
    record DistinctInstance() implements PlacementConstraint {
    }

    /** {@code memberOf}: only instances that match the cluster query. */
    record MemberOf(ClusterQuery expression) implements PlacementConstraint {
        public MemberOf {
            Objects.requireNonNull(expression, "expression");
            if (expression.source().length() > MAX_EXPRESSION_LENGTH) {
                throw new InvalidPlacementRequestException("memberOf expression must be at most "
                        + MAX_EXPRESSION_LENGTH + " characters, was " + expression.source().length());
            }
        }
    }

    static PlacementConstraint distinctInstance() {
        return new DistinctInstance();
    }

    /**
     * A {@code memberOf} constraint.
     *
     * @throws InvalidPlacementRequestException if the expression is too long or not a valid query
     */
    static PlacementConstraint memberOf(String expression) {
        if (expression.length() > MAX_EXPRESSION_LENGTH) {
            throw new InvalidPlacementRequestException("memberOf expression must be at most "
                    + MAX_EXPRESSION_LENGTH + " characters, was " + expression.length());
        }
        try {
            return new MemberOf(ClusterQuery.parse(expression));
        } catch (QuerySyntaxException e) {
            throw new InvalidPlacementRequestException("Invalid memberOf expression: " + e.getMessage(), e);
        }
    }

    /**
     * A constraint as the API spells it: {@code {type, expression}}.
     *
     * @throws InvalidPlacementRequestException for a missing or unknown type, an expression on
     *     {@code distinctInstance}, or a missing or invalid expression on {@code memberOf}
     */
    public static PlacementConstraint of(Optional<String> type, Optional<String> expression) {
        // The model leaves type optional; a constraint without one constrains nothing we could name.
        return switch (type.orElseThrow(() -> new InvalidPlacementRequestException(
                "A placement constraint requires a type; valid types are distinctInstance and memberOf"))) {
            case "distinctInstance" -> {
                if (expression.isPresent() && !expression.get().isEmpty()) {
                    throw new InvalidPlacementRequestException(
                            "A distinctInstance placement constraint must not have an expression");
                }
                yield distinctInstance();
            }
            case "memberOf" -> memberOf(expression.filter(e -> !e.isBlank()).orElseThrow(() ->
                    new InvalidPlacementRequestException("A memberOf placement constraint requires an expression")));
            default -> throw new InvalidPlacementRequestException("Invalid placement constraint type '" + type.get()
                    + "'; valid types are distinctInstance and memberOf");
        };
    }
}
