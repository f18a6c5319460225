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
        return idOf(task.taskArn());
    }

    public static String idOf(String taskArn) {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    /** A task as the API answers it: ECS always sends {@code tags}, empty when there are none. */
    public static Task answered(Task task) {
        Task.Builder b = task.toBuilder();
        if (task.tags() == null) {
            b.tags(java.util.List.of());
        }
        if ("FARGATE".equals(task.launchType())) {
            // The platform host a Fargate task runs on is the platform's business, not the user's.
            b.containerInstanceArn(null);
        }
        return b.build();
    }

    /**
     * A task that never got to an agent: STOPPED at its creation with TaskFailedToStart and the
     * reason, as ECS records a task whose network interface could not be made.
     */
    public static Task failedToStart(Task task, String reason) {
        Instant at = task.createdAt();
        return task.toBuilder()
                .lastStatus(TaskStatus.STOPPED)
                .desiredStatus(TaskStatus.STOPPED)
                .stopCode(dev.stevedore.model.ecs.TaskStopCode.TASK_FAILED_TO_START)
                .stoppedReason(reason)
                .stoppingAt(at)
                .stoppedAt(at)
                .executionStoppedAt(at)
                .containerInstanceArn(null)
                .containers(task.containers().stream()
                        .map(c -> c.toBuilder().lastStatus(TaskStatus.STOPPED).build()).toList())
                .build();
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
