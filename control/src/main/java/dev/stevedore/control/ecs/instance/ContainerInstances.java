package dev.stevedore.control.ecs.instance;

import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.ContainerInstance;

import java.util.Optional;

/**
 * Reading and writing container instance records; the door other aggregates (tasks, placement)
 * use to reach them.
 */
public final class ContainerInstances {
    private ContainerInstances() {
    }

    /** The instance an id or ARN names in the cluster, read as a transaction condition. */
    public static Optional<ContainerInstance> read(StoreTx tx, EcsScope scope, String cluster, String idOrArn) {
        return Arns.idInCluster(scope, "container-instance", cluster, idOrArn)
                .flatMap(id -> tx.read(EcsKeys.containerInstance(scope, cluster, id), ContainerInstance.class));
    }

    public static void write(StoreTx tx, EcsScope scope, ContainerInstance instance) {
        tx.put(ContainerInstanceOperations.keyOf(scope, instance), instance);
    }

    /**
     * Writes a registration: the record and the index from its EC2 instance id, by which the same
     * host registering again gets its instance back.
     */
    public static void writeRegistration(StoreTx tx, EcsScope scope, ContainerInstance instance) {
        write(tx, scope, instance);
        String cluster = Arns.parse(instance.containerInstanceArn()).orElseThrow().resourceId().split("/", 2)[0];
        tx.put(EcsKeys.ec2InstanceIndex(scope, cluster, instance.ec2InstanceId()),
                new ContainerInstanceOperations.Ec2InstanceIndex(instance.containerInstanceArn()));
    }

    /** The instance with a task's reservation taken (placed) or given back (stopped), one version later. */
    public static ContainerInstance take(ContainerInstance instance, TaskReservation reservation) {
        InstanceResources remaining = InstanceResources.fromWire(instance.remainingResources()).orElseThrow();
        return instance.toBuilder()
                .remainingResources(remaining.minus(reservation).toWire())
                .pendingTasksCount(instance.pendingTasksCount() + 1)
                .version(instance.version() + 1)
                .build();
    }

    /** Gives a task's reservation back; {@code wasRunning} says which counter it was in. */
    public static ContainerInstance release(ContainerInstance instance, TaskReservation reservation,
                                            boolean wasRunning) {
        InstanceResources remaining = InstanceResources.fromWire(instance.remainingResources()).orElseThrow();
        return instance.toBuilder()
                .remainingResources(remaining.plus(reservation).toWire())
                .runningTasksCount(instance.runningTasksCount() - (wasRunning ? 1 : 0))
                .pendingTasksCount(instance.pendingTasksCount() - (wasRunning ? 0 : 1))
                .version(instance.version() + 1)
                .build();
    }

    /** Moves one task from the pending to the running count. */
    public static ContainerInstance started(ContainerInstance instance) {
        return instance.toBuilder()
                .runningTasksCount(instance.runningTasksCount() + 1)
                .pendingTasksCount(instance.pendingTasksCount() - 1)
                .version(instance.version() + 1)
                .build();
    }
}
