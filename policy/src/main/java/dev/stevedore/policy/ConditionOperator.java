package dev.stevedore.policy;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The condition operators of IAM's policy grammar, without the IfExists suffix and set qualifiers. */
public enum ConditionOperator {
    STRING_EQUALS("StringEquals", Family.STRING, false, Comparison.EQUAL),
    STRING_NOT_EQUALS("StringNotEquals", Family.STRING, true, Comparison.EQUAL),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Family.STRING_IGNORE_CASE, false, Comparison.EQUAL),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Family.STRING_IGNORE_CASE, true, Comparison.EQUAL),
    STRING_LIKE("StringLike", Family.STRING_LIKE, false, Comparison.EQUAL),
    STRING_NOT_LIKE("StringNotLike", Family.STRING_LIKE, true, Comparison.EQUAL),
    NUMERIC_EQUALS("NumericEquals", Family.NUMERIC, false, Comparison.EQUAL),
    NUMERIC_NOT_EQUALS("NumericNotEquals", Family.NUMERIC, true, Comparison.EQUAL),
    NUMERIC_LESS_THAN("NumericLessThan", Family.NUMERIC, false, Comparison.LESS),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Family.NUMERIC, false, Comparison.LESS_OR_EQUAL),
    NUMERIC_GREATER_THAN("NumericGreaterThan", Family.NUMERIC, false, Comparison.GREATER),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Family.NUMERIC, false, Comparison.GREATER_OR_EQUAL),
    DATE_EQUALS("DateEquals", Family.DATE, false, Comparison.EQUAL),
    DATE_NOT_EQUALS("DateNotEquals", Family.DATE, true, Comparison.EQUAL),
    DATE_LESS_THAN("DateLessThan", Family.DATE, false, Comparison.LESS),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", Family.DATE, false, Comparison.LESS_OR_EQUAL),
    DATE_GREATER_THAN("DateGreaterThan", Family.DATE, false, Comparison.GREATER),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Family.DATE, false, Comparison.GREATER_OR_EQUAL),
    BOOL("Bool", Family.BOOL, false, Comparison.EQUAL),
    BINARY_EQUALS("BinaryEquals", Family.BINARY, false, Comparison.EQUAL),
    IP_ADDRESS("IpAddress", Family.IP, false, Comparison.EQUAL),
    NOT_IP_ADDRESS("NotIpAddress", Family.IP, true, Comparison.EQUAL),
    ARN_EQUALS("ArnEquals", Family.ARN, false, Comparison.EQUAL),
    ARN_LIKE("ArnLike", Family.ARN, false, Comparison.EQUAL),
    ARN_NOT_EQUALS("ArnNotEquals", Family.ARN, true, Comparison.EQUAL),
    ARN_NOT_LIKE("ArnNotLike", Family.ARN, true, Comparison.EQUAL),
    NULL("Null", Family.NULL, false, Comparison.EQUAL);

    /** How an operator reads its values. */
    enum Family { STRING, STRING_IGNORE_CASE, STRING_LIKE, NUMERIC, DATE, BOOL, BINARY, IP, ARN, NULL }

    enum Comparison {
        EQUAL, LESS, LESS_OR_EQUAL, GREATER, GREATER_OR_EQUAL;

        /** {@code order} is the sign of request value compared with policy value. */
        boolean holds(int order) {
            return switch (this) {
                case EQUAL -> order == 0;
                case LESS -> order < 0;
                case LESS_OR_EQUAL -> order <= 0;
                case GREATER -> order > 0;
                case GREATER_OR_EQUAL -> order >= 0;
            };
        }
    }

    private static final Map<String, ConditionOperator> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(o -> o.wireName, Function.identity()));

    private final String wireName;
    final Family family;
    /**
     * A negated operator (StringNotEquals, NotIpAddress, ArnNotLike…) is true when the request's value
     * matches none of the policy's values, and true when the key is absent.
     */
    final boolean negated;
    final Comparison comparison;

    ConditionOperator(String wireName, Family family, boolean negated, Comparison comparison) {
        this.wireName = wireName;
        this.family = family;
        this.negated = negated;
        this.comparison = comparison;
    }

    public String wireName() {
        return wireName;
    }

    public boolean negated() {
        return negated;
    }

    static Optional<ConditionOperator> byWireName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
