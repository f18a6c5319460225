package dev.stevedore.scheduler;

import dev.stevedore.scheduler.placement.ClusterIndex;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An immutable picture of one cluster's container instances at one store revision: what
 * {@link Scheduler#place} plans against.
 *
 * <p>Building one lays the instances out for placement (arrays, attribute columns, task-group
 * index), which costs time linear in the instances and their attributes; build it once and
 * place many requests on it. Safe to share between threads.
 */
public final class ClusterSnapshot {

    private final List<InstanceState> instances;
    private final ClusterIndex index;

    private ClusterSnapshot(List<InstanceState> instances) {
        this.instances = instances;
        this.index = ClusterIndex.of(instances);
    }

    /**
     * A snapshot of these instances, in this order (the order only breaks ties between equally
     * close instances when a failure is reported).
     *
     * @throws IllegalArgumentException if two instances share an ARN
     */
    public static ClusterSnapshot of(Collection<InstanceState> instances) {
        return new ClusterSnapshot(List.copyOf(instances));
    }

    public List<InstanceState> instances() {
        return instances;
    }

    /** The instance with this container instance ARN, if it is in the snapshot. */
    public Optional<InstanceState> instance(String arn) {
        OptionalInt i = index.indexOf(arn);
        return i.isPresent() ? Optional.of(instances.get(i.getAsInt())) : Optional.empty();
    }

    public int size() {
        return instances.size();
    }

    ClusterIndex index() {
        return index;
    }
}
