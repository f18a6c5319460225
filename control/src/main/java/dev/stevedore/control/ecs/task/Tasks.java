package dev.stevedore.control.ecs.task;

import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Task;

import java.time.Instant;
import java.util.Optional;

/**
 * Reading and writing task records by id or ARN.
 */
public final class Tasks {
    private Tasks() {
    }

    public static Optional<Task> read(StoreTx tx, EcsScope scope, String cluster, String idOrArn) {
        return Arns.idInCluster(scope, "task", cluster, idOrArn)
                .flatMap(id -> tx.read(EcsKeys.task(scope, cluster, id), Task.class));
    }

    public static void write(StoreTx tx, EcsScope scope, String cluster, Task task) {
        String arn = task.taskArn();
        tx.put(EcsKeys.task(scope, cluster, arn.substring(arn.lastIndexOf('/') + 1)), task);
    }

    public static String id(Task task) {
        return task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1);
    }

    /** A task as the API answers it: ECS always sends {@code tags}, empty when there are none. */
    public static Task answered(Task task) {
        return task.tags() == null ? task.toBuilder().tags(java.util.List.of()).build() : task;
    }

    /** The task asked to stop, one version later: desired STOPPED, with the stop code and reason, stopping from {@code at}. */
    public static Task stopRequested(Task task, String stopCode, String reason, Instant at) {
        return task.toBuilder()
                .desiredStatus(TaskStatus.STOPPED)
                .stopCode(stopCode)
                .stoppedReason(reason)
                .stoppingAt(at)
                .version(task.version() + 1)
                .build();
    }
}
