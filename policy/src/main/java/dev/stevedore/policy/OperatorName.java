package dev.stevedore.policy;

import java.util.Optional;

/** A condition block's name read as qualifier, operator and IfExists ({@code ForAnyValue:StringLikeIfExists}). */
record OperatorName(ConditionOperator operator, Condition.SetQualifier qualifier, boolean ifExists) {
    static Optional<OperatorName> read(String written) {
        String name = written;
        Condition.SetQualifier qualifier = Condition.SetQualifier.NONE;
        if (name.startsWith("ForAnyValue:")) {
            qualifier = Condition.SetQualifier.FOR_ANY_VALUE;
            name = name.substring("ForAnyValue:".length());
        } else if (name.startsWith("ForAllValues:")) {
            qualifier = Condition.SetQualifier.FOR_ALL_VALUES;
            name = name.substring("ForAllValues:".length());
        }
        boolean ifExists = name.endsWith("IfExists");
        if (ifExists) {
            name = name.substring(0, name.length() - "IfExists".length());
        }
        Optional<ConditionOperator> op = ConditionOperator.byWireName(name);
        if (op.isEmpty() || (op.get() == ConditionOperator.NULL && (ifExists || qualifier != Condition.SetQualifier.NONE))) {
            return Optional.empty();
        }
        Condition.SetQualifier q = qualifier;
        return op.map(o -> new OperatorName(o, q, ifExists));
    }
}
