package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.TaskRequirements;
import java.util.Optional;

/**
 * Passes instances in a zone of the task's {@code awsvpc} subnets: an interface of a subnet can only
 * be attached to an instance in the subnet's zone.
 */
public final class LocationFilter extends InstanceFilter {

    /** ECS's reason for an instance outside the zones of the task's subnets [dg api_failures_messages.md]. */
    public static final String REASON = "LOCATION";

    private final TaskRequirements task;
    private final AttributeColumns.Column zones;

    LocationFilter(ClusterState state, TaskRequirements task) {
        this.task = task;
        this.zones = state.columns.get(TaskRequirements.ZONE_ATTRIBUTE);
    }

    @Override
    boolean test(Working working, int i) {
        return task.allowsZone(Optional.ofNullable(zones.value(i)));
    }

    @Override
    String reason() {
        return REASON;
    }

    @Override
    String describe(int rejected) {
        return instances(rejected) + (rejected == 1 ? " was" : " were") + " outside the zones of the task's subnets";
    }
}
