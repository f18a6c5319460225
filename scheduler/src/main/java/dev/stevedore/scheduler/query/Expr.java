package dev.stevedore.scheduler.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** A parsed cluster query: boolean connectives over conditions on one subject each. */
sealed interface Expr {

    boolean test(QueryTarget target);

    record And(List<Expr> parts) implements Expr {
        @Override
        public boolean test(QueryTarget target) {
            for (Expr part : parts) {
                if (!part.test(target)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Or(List<Expr> parts) implements Expr {
        @Override
        public boolean test(QueryTarget target) {
            for (Expr part : parts) {
                if (part.test(target)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Not(Expr inner) implements Expr {
        @Override
        public boolean test(QueryTarget target) {
            return !inner.test(target);
        }
    }

    /**
     * A condition on a named attribute. Every operator except {@code exists} needs the attribute to
     * be present: the guide describes {@code attribute:stack != prod} as "instances with the custom
     * attribute stack unless the value is prod", so an absent attribute satisfies neither
     * {@code ==} nor {@code !=}; {@code not(...)} is the way to include instances without it.
     */
    record AttributeCondition(String name, Operator op, ValueTest test) implements Expr {
        @Override
        public boolean test(QueryTarget target) {
            boolean present = target.hasAttribute(name);
            return switch (op) {
                case EXISTS -> present;
                case NOT_EXISTS -> !present;
                default -> present && test.test(target.attributeValue(name));
            };
        }
    }

    /** A condition on a single-valued text field ({@code agentConnected}, {@code ec2InstanceId}). */
    record TextCondition(Function<QueryTarget, String> field, ValueTest test) implements Expr {
        @Override
        public boolean test(QueryTarget target) {
            return test.test(field.apply(target));
        }
    }

    /** {@code agentVersion}: compared as versions; an instance with an unknown version matches nothing. */
    record VersionCondition(Operator op, String version) implements Expr {
        @Override
        public boolean test(QueryTarget target) {
            String actual = target.agentVersion();
            return !actual.isEmpty() && holds(op, Versions.compare(actual, version));
        }
    }

    /** {@code registeredAt}: compared as instants. */
    record InstantCondition(Operator op, Instant instant) implements Expr {
        @Override
        public boolean test(QueryTarget target) {
            return holds(op, target.registeredAt().compareTo(instant));
        }
    }

    /** {@code runningTasksCount}: compared as numbers. */
    record CountCondition(Operator op, long count) implements Expr {
        @Override
        public boolean test(QueryTarget target) {
            return holds(op, Long.compare(target.runningTasksCount(), count));
        }
    }

    /**
     * {@code task:group}: an instance "has" every group with a task on it. The positive operators
     * ask whether some group there qualifies; the negative ones are their exact negations, so
     * {@code task:group != database} means "runs no task of group database" (anti-affinity).
     */
    record TaskGroupCondition(Operator op, Set<String> groups, Predicate<String> groupTest) implements Expr {
        @Override
        public boolean test(QueryTarget target) {
            return switch (op) {
                case EQUALS, IN -> anyListed(target);
                case NOT_EQUALS, NOT_IN -> !anyListed(target);
                case MATCHES, EXISTS -> target.hasTaskGroupMatching(groupTest);
                case NOT_MATCHES, NOT_EXISTS -> !target.hasTaskGroupMatching(groupTest);
                default -> throw new IllegalStateException("operator not allowed for task:group: " + op);
            };
        }

        private boolean anyListed(QueryTarget target) {
            for (String group : groups) {
                if (target.taskGroupCount(group) > 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A test of one text value against an operator's argument. */
    sealed interface ValueTest {
        boolean test(String value);
    }

    /** Never consulted: {@code exists} and {@code not_exists} decide before a value is read. */
    record NoValue() implements ValueTest {
        @Override
        public boolean test(String value) {
            throw new IllegalStateException("existence operators take no value");
        }
    }

    record Equal(String literal, boolean negated) implements ValueTest {
        @Override
        public boolean test(String value) {
            return value.equals(literal) != negated;
        }
    }

    record InList(Set<String> literals, boolean negated) implements ValueTest {
        @Override
        public boolean test(String value) {
            return literals.contains(value) != negated;
        }
    }

    /** {@code matches}: java.util.regex full match, as the guide specifies Java regular expressions. */
    record Matches(Pattern pattern, boolean negated) implements ValueTest {
        @Override
        public boolean test(String value) {
            return pattern.matcher(value).matches() != negated;
        }
    }

    /**
     * Ordering of attribute values: numeric when both sides are plain decimal numbers
     * ({@code 10 > 9}), otherwise lexical by UTF-16 code unit ({@code "10" < "9"}).
     */
    record Ordered(Operator op, String literal, Optional<BigDecimal> number) implements ValueTest {
        @Override
        public boolean test(String value) {
            if (number.isPresent()) {
                Optional<BigDecimal> actual = Literals.number(value);
                if (actual.isPresent()) {
                    return holds(op, actual.get().compareTo(number.get()));
                }
            }
            return holds(op, value.compareTo(literal));
        }
    }

    /** Whether a comparison result satisfies an ordering or equality operator. */
    static boolean holds(Operator op, int comparison) {
        return switch (op) {
            case EQUALS -> comparison == 0;
            case NOT_EQUALS -> comparison != 0;
            case GREATER_THAN -> comparison > 0;
            case GREATER_THAN_EQUAL -> comparison >= 0;
            case LESS_THAN -> comparison < 0;
            case LESS_THAN_EQUAL -> comparison <= 0;
            default -> throw new IllegalStateException("not an ordering operator: " + op);
        };
    }
}
