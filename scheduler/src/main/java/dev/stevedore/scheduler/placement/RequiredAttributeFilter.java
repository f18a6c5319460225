package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.RequiredAttribute;

/** Passes instances that carry one attribute the task definition requires (with its value, if one is given). */
public final class RequiredAttributeFilter extends InstanceFilter {

    /** ECS's reason for an instance lacking a required attribute [dg api_failures_messages.md]. */
    public static final String REASON = "ATTRIBUTE";

    private final RequiredAttribute required;
    private final AttributeColumns.Column column;

    RequiredAttributeFilter(ClusterState state, RequiredAttribute required) {
        this.required = required;
        this.column = state.columns.get(required.name());
    }

    /** Whether an instance whose value of the attribute is {@code value} (null when absent) passes. */
    static boolean passes(RequiredAttribute required, String value) {
        return value != null && (required.value().isEmpty() || required.value().get().equals(value));
    }

    @Override
    boolean test(Working working, int i) {
        return passes(required, column.value(i));
    }

    RequiredAttribute required() {
        return required;
    }

    @Override
    boolean isStatic() {
        return true;
    }

    @Override
    String reason() {
        return REASON;
    }

    @Override
    String describe(int rejected) {
        return instances(rejected) + " lacked attribute " + required;
    }
}
