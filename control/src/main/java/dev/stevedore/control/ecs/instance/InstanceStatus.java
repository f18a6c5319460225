package dev.stevedore.control.ecs.instance;

/**
 * Container instance status values, as ECS spells them (the model's enum omits INACTIVE).
 */
public final class InstanceStatus {
    public static final String ACTIVE = "ACTIVE";
    public static final String DRAINING = "DRAINING";
    public static final String INACTIVE = "INACTIVE";

    private InstanceStatus() {
    }
}
