package dev.stevedore.policy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One condition of a statement: an operator block's test of one key, e.g.
 * {@code "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["env*"]}}.
 *
 * @param written the operator as the policy writes it
 * @param key the condition key, lower-cased (keys are case-insensitive)
 */
public record Condition(
        String written, ConditionOperator operator, SetQualifier qualifier, boolean ifExists, String key, List<Operand> operands) {

    /** ForAnyValue / ForAllValues, for multi-valued keys. */
    public enum SetQualifier { NONE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    public Condition {
        operands = List.copyOf(operands);
    }

    /** One policy value, read once as its operator's type. */
    sealed interface Operand {
        boolean matches(String requestValue, RequestContext context);
    }

    record TextOperand(WildcardPattern pattern) implements Operand {
        @Override
        public boolean matches(String requestValue, RequestContext context) {
            return pattern.matches(requestValue, context);
        }
    }

    record ArnOperand(WildcardPattern pattern) implements Operand {
        @Override
        public boolean matches(String requestValue, RequestContext context) {
            return pattern.matchesArn(requestValue, context);
        }
    }

    record NumberOperand(BigDecimal value, ConditionOperator.Comparison comparison) implements Operand {
        @Override
        public boolean matches(String requestValue, RequestContext context) {
            Optional<BigDecimal> n = number(requestValue);
            return n.isPresent() && comparison.holds(n.get().compareTo(value));
        }
    }

    record DateOperand(long epochMillis, ConditionOperator.Comparison comparison) implements Operand {
        @Override
        public boolean matches(String requestValue, RequestContext context) {
            OptionalLong t = PolicyDates.epochMillis(requestValue);
            return t.isPresent() && comparison.holds(Long.compare(t.getAsLong(), epochMillis));
        }
    }

    record BoolOperand(String value) implements Operand {
        @Override
        public boolean matches(String requestValue, RequestContext context) {
            return value.equalsIgnoreCase(requestValue.trim());
        }
    }

    record BinaryOperand(String value) implements Operand {
        @Override
        public boolean matches(String requestValue, RequestContext context) {
            return value.equals(requestValue);
        }
    }

    record IpOperand(IpRange range) implements Operand {
        @Override
        public boolean matches(String requestValue, RequestContext context) {
            return range.contains(requestValue);
        }
    }

    /** A value that cannot be read as its operator's type (a number that is not one): it matches nothing. */
    record Unreadable(String value) implements Operand {
        @Override
        public boolean matches(String requestValue, RequestContext context) {
            return false;
        }
    }

    static Operand operand(ConditionOperator operator, String value, boolean variables) {
        return switch (operator.family) {
            case STRING -> new TextOperand(WildcardPattern.compile(value, WildcardPattern.Mode.EXACT, variables));
            case STRING_IGNORE_CASE -> new TextOperand(WildcardPattern.compile(value, WildcardPattern.Mode.EXACT_IGNORE_CASE, variables));
            case STRING_LIKE -> new TextOperand(WildcardPattern.compile(value, WildcardPattern.Mode.LIKE, variables));
            case ARN -> new ArnOperand(WildcardPattern.compile(value, WildcardPattern.Mode.LIKE, variables));
            case NUMERIC -> number(value).<Operand>map(n -> new NumberOperand(n, operator.comparison)).orElse(new Unreadable(value));
            case DATE -> {
                OptionalLong t = PolicyDates.epochMillis(value);
                yield t.isPresent() ? new DateOperand(t.getAsLong(), operator.comparison) : new Unreadable(value);
            }
            case BOOL, NULL -> new BoolOperand(value.toLowerCase(Locale.ROOT));
            case BINARY -> new BinaryOperand(value);
            case IP -> IpRange.parse(value).<Operand>map(IpOperand::new).orElse(new Unreadable(value));
        };
    }

    private static Optional<BigDecimal> number(String text) {
        String s = text.trim();
        if (s.isEmpty() || s.length() > 64) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the request satisfies this condition, with IAM's rules for absent keys: an absent key
     * fails a positive operator and satisfies a negated one; {@code IfExists} makes absence a pass;
     * ForAllValues passes on an absent key or empty set, ForAnyValue fails on them. An empty set
     * counts as absent everywhere.
     */
    boolean test(RequestContext context) {
        List<String> values = context.valuesOrEmpty(key);
        boolean absent = values.isEmpty();
        if (operator == ConditionOperator.NULL) {
            String expected = absent ? "true" : "false";
            for (Operand o : operands) {
                if (o.matches(expected, context)) {
                    return true;
                }
            }
            return false;
        }
        switch (qualifier) {
            case FOR_ALL_VALUES -> {
                if (absent) {
                    return true;
                }
                for (String v : values) {
                    if (!passes(v, context)) {
                        return false;
                    }
                }
                return true;
            }
            case FOR_ANY_VALUE -> {
                if (absent) {
                    return ifExists;
                }
                for (String v : values) {
                    if (passes(v, context)) {
                        return true;
                    }
                }
                return false;
            }
            default -> {
                if (absent) {
                    return ifExists || operator.negated;
                }
                if (operator.negated) {
                    for (String v : values) {
                        if (matchesAny(v, context)) {
                            return false;
                        }
                    }
                    return true;
                }
                for (String v : values) {
                    if (matchesAny(v, context)) {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    /** One request value against the policy's values: any of them (OR); a negated operator wants none (NOR). */
    private boolean passes(String value, RequestContext context) {
        return matchesAny(value, context) != operator.negated;
    }

    private boolean matchesAny(String value, RequestContext context) {
        for (Operand o : operands) {
            if (o.matches(value, context)) {
                return true;
            }
        }
        return false;
    }
}
