package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.RequiredAttribute;

/** Passes instances that carry one attribute the task definition requires (with its value, if one is given). */
public final class RequiredAttributeFilter extends InstanceFilter {

    /** ECS's reason for an instance lacking a required attribute [dg api_failures_messages.md]. */
    public static final String REASON = "ATTRIBUTE";

    private final RequiredAttribute required;
    private final String[] values;

    RequiredAttributeFilter(ClusterIndex index, RequiredAttribute required) {
        this.required = required;
        this.values = index.column(required.name()).values();
    }

    @Override
    boolean test(Working working, int i) {
        String value = values[i];
        return value != null && (required.value().isEmpty() || required.value().get().equals(value));
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
