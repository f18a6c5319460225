package dev.stevedore.control.ecs.task;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.fargate.PlatformPool;
import dev.stevedore.model.ecs.AttachmentStateChange;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.cluster.Clusters;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Container;
import dev.stevedore.model.ecs.ContainerStateChange;
import dev.stevedore.model.ecs.SubmitAttachmentStateChangesRequest;
import dev.stevedore.model.ecs.SubmitAttachmentStateChangesResponse;
import dev.stevedore.model.ecs.SubmitContainerStateChangeRequest;
import dev.stevedore.model.ecs.SubmitContainerStateChangeResponse;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import dev.stevedore.model.ecs.SubmitTaskStateChangeResponse;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskStopCode;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What agents report: task and container state changes. The agent owns known status; these calls
 * move it forward only. The plan applier sees a task reach RUNNING or STOPPED through its watch and
 * moves the instance's counters and resources accordingly.
 */
public final class TaskStateChanges {
    private static final String ACK = "true";
    /** The attachment states an agent reports, as the ECS agent sends them. */
    private static final String ATTACHING = "ATTACHING";
    private static final String ATTACHED = "ATTACHED";
    private static final String DETACHED = "DETACHED";

    private final StateStore store;
    private final Clock clock;

    public TaskStateChanges(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "SubmitTaskStateChange", Operations.typed(SubmitTaskStateChangeRequest.class, this::submitTask),
                "SubmitContainerStateChange",
                Operations.typed(SubmitContainerStateChangeRequest.class, this::submitContainer),
                "SubmitAttachmentStateChanges",
                Operations.typed(SubmitAttachmentStateChangesRequest.class, this::submitAttachments));
    }

    SubmitTaskStateChangeResponse submitTask(CallContext ctx, SubmitTaskStateChangeRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String reporter = Clusters.agentClusterName(scope, request.cluster());
        String cluster = taskCluster(reporter, request.task());
        String status = request.status();
        if (status != null && !TaskStatus.ORDER.contains(status)) {
            throw EcsErrors.invalidParameter("Unknown task status " + status + ".");
        }
        List<AttachmentStateChange> attachments = Optional.ofNullable(request.attachments()).orElse(List.of());
        checkAttachmentStatuses(attachments);
        StoreTx.run(store, tx -> {
            Task stored = Tasks.read(tx, scope, cluster, request.task())
                    .orElseThrow(() -> taskNotFound(tx, scope, reporter));
            // The ECS agent may carry the task's attachment changes in its state change: they come first,
            // so that ATTACHED then RUNNING, or DETACHED then STOPPED, land in one write.
            Task task = stored;
            for (AttachmentStateChange change : attachments) {
                if (isOwnAttachment(task, change.attachmentArn())) {
                    task = attachmentChanged(task, change.status());
                }
            }
            Task.Builder next = task.toBuilder();
            boolean changed = !task.equals(stored);
            List<Container> containers = task.containers();
            for (ContainerStateChange c : Optional.ofNullable(request.containers()).orElse(List.of())) {
                containers = applyContainer(containers, c.containerName(), c.status(), c.exitCode(), c.reason(),
                        c.runtimeId(), c.networkBindings(), c.imageDigest());
            }
            if (!containers.equals(task.containers())) {
                next.containers(containers);
                changed = true;
            }
            if (request.pullStartedAt() != null && task.pullStartedAt() == null) {
                next.pullStartedAt(request.pullStartedAt());
                changed = true;
            }
            if (request.pullStoppedAt() != null && task.pullStoppedAt() == null) {
                next.pullStoppedAt(request.pullStoppedAt());
                changed = true;
            }
            if (status != null && TaskStatus.isForward(task.lastStatus(), status)) {
                changed = true;
                transition(task, next, status, request);
            }
            if (changed) {
                Tasks.write(tx, scope, cluster, next.version(stored.version() + 1).build());
            }
            return null;
        });
        return new SubmitTaskStateChangeResponse(ACK);
    }

    SubmitContainerStateChangeResponse submitContainer(CallContext ctx, SubmitContainerStateChangeRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String reporter = Clusters.agentClusterName(scope, request.cluster());
        String cluster = taskCluster(reporter, request.task());
        StoreTx.run(store, tx -> {
            Task task = Tasks.read(tx, scope, cluster, request.task()).orElseThrow(() -> taskNotFound(tx, scope, reporter));
            List<Container> containers = applyContainer(task.containers(), request.containerName(), request.status(),
                    request.exitCode(), request.reason(), request.runtimeId(), request.networkBindings(), null);
            if (!containers.equals(task.containers())) {
                Tasks.write(tx, scope, cluster, task.toBuilder().containers(containers)
                        .version(task.version() + 1).build());
            }
            return null;
        });
        return new SubmitContainerStateChangeResponse(ACK);
    }

    /**
     * The agent is making an awsvpc task's network namespace (ATTACHING), made it (ATTACHED: the
     * task moves on from PROVISIONING) or took it down (DETACHED: the interface is DELETED, and a task whose containers
     * have stopped is STOPPED). An attachment the control plane no longer knows (its task stopped and
     * its address was given back) is acknowledged and ignored, as a late report is harmless.
     */
    SubmitAttachmentStateChangesResponse submitAttachments(CallContext ctx, SubmitAttachmentStateChangesRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String reporter = Clusters.agentClusterName(scope, request.cluster());
        checkAttachmentStatuses(request.attachments());
        StoreTx.run(store, tx -> {
            Clusters.requireActiveForAgent(tx, scope, reporter);
            for (AttachmentStateChange change : request.attachments()) {
                String arn = change.attachmentArn();
                String id = arn.substring(arn.lastIndexOf('/') + 1);
                Optional<TaskAttachments.AttachmentIndex> index = tx.read(EcsKeys.attachment(scope, id),
                        TaskAttachments.AttachmentIndex.class);
                if (index.isEmpty()) {
                    continue;
                }
                String taskArn = index.get().taskArn();
                String cluster = Arns.clusterOfTask(taskArn);
                Optional<Task> found = Tasks.read(tx, scope, cluster, taskArn);
                if (found.isPresent()) {
                    Task next = attachmentChanged(found.get(), change.status());
                    if (!next.equals(found.get())) {
                        Tasks.write(tx, scope, cluster, next.toBuilder().version(found.get().version() + 1).build());
                    }
                }
            }
            return null;
        });
        return new SubmitAttachmentStateChangesResponse(ACK);
    }

    private static void checkAttachmentStatuses(List<AttachmentStateChange> changes) {
        for (AttachmentStateChange change : changes) {
            if (!ATTACHING.equals(change.status()) && !ATTACHED.equals(change.status())
                    && !DETACHED.equals(change.status())) {
                throw EcsErrors.invalidParameter("Unknown attachment status " + change.status() + ".");
            }
        }
    }

    /** Whether an attachment ARN names the task's own interface ({@code …:attachment/<its id>}). */
    private static boolean isOwnAttachment(Task task, String attachmentArn) {
        return attachmentArn != null && TaskAttachments.interfaceOf(task)
                .map(eni -> attachmentArn.endsWith(":attachment/" + eni.attachmentId())).orElse(false);
    }

    private Task attachmentChanged(Task task, String status) {
        Optional<TaskAttachments.InterfaceFacts> eni = TaskAttachments.interfaceOf(task);
        if (eni.isEmpty()) {
            return task;
        }
        String current = eni.get().status();
        if (ATTACHING.equals(status)) {
            return TaskAttachments.PRECREATED.equals(current)
                    ? TaskAttachments.withStatus(task, TaskAttachments.ATTACHING) : task;
        }
        if (ATTACHED.equals(status)) {
            if (!TaskAttachments.PRECREATED.equals(current) && !TaskAttachments.ATTACHING.equals(current)) {
                return task;
            }
            Task attached = TaskAttachments.withStatus(task, TaskAttachments.ATTACHED);
            return TaskStatus.PROVISIONING.equals(task.lastStatus())
                    ? attached.toBuilder().lastStatus(TaskStatus.PENDING).build() : attached;
        }
        if (TaskAttachments.DELETED.equals(current)) {
            return task;
        }
        Task deleted = TaskAttachments.withStatus(task, TaskAttachments.DELETED);
        return TaskStatus.DEPROVISIONING.equals(task.lastStatus())
                ? deleted.toBuilder().lastStatus(TaskStatus.STOPPED).stoppedAt(clock.instant()).build() : deleted;
    }

    /**
     * The cluster a reported task is in: the reporter's own, except for a platform host, whose
     * Fargate tasks belong to the clusters they were run in (named by their ARNs).
     */
    private static String taskCluster(String reporter, String taskRef) {
        return PlatformPool.isPool(reporter) && taskRef != null && taskRef.startsWith("arn:")
                ? Arns.clusterOfTask(taskRef) : reporter;
    }

    /**
     * Records the containers' health as the agent observed it, and the task's health derived from
     * its essential containers (HEALTHY only if all of them with a check are healthy, UNHEALTHY if
     * any is not), in one write: the agent reports health, the task's is derived here alone.
     *
     * @param health health by container name; containers the task does not have are left out
     */
    public void recordHealth(EcsScope scope, String cluster, String taskArn, Map<String, String> health,
                             List<String> essentialContainers) {
        StoreTx.run(store, tx -> {
            Optional<Task> found = Tasks.read(tx, scope, cluster, taskArn);
            if (found.isEmpty()) {
                return null;
            }
            Task task = found.get();
            List<Container> containers = new ArrayList<>();
            for (Container c : task.containers()) {
                String observed = health.get(c.name());
                containers.add(observed != null ? c.toBuilder().healthStatus(observed).build() : c);
            }
            String taskHealth = TaskHealth.of(containers, essentialContainers);
            if (!containers.equals(task.containers()) || !taskHealth.equals(task.healthStatus())) {
                Tasks.write(tx, scope, cluster, task.toBuilder().containers(containers).healthStatus(taskHealth)
                        .version(task.version() + 1).build());
            }
            return null;
        });
    }

    private void transition(Task task, Task.Builder next, String status, SubmitTaskStateChangeRequest request) {
        Instant now = clock.instant();
        boolean wasRunning = TaskStatus.isRunningOrLater(task.lastStatus());
        next.lastStatus(status);
        if (TaskStatus.RUNNING.equals(status)) {
            next.startedAt(now);
            next.connectivity("CONNECTED").connectivityAt(now);
        } else if (TaskStatus.STOPPED.equals(status)) {
            next.desiredStatus(TaskStatus.STOPPED)
                    .stoppedAt(now)
                    .executionStoppedAt(Optional.ofNullable(request.executionStoppedAt()).orElse(now));
            if (task.stoppingAt() == null) {
                next.stoppingAt(now);
            }
            if (TaskAttachments.awaitsDetach(task)) {
                // The containers stopped; the network namespace is still to go (ECS's DEPROVISIONING).
                next.lastStatus(TaskStatus.DEPROVISIONING).stoppedAt(null)
                        .attachments(TaskAttachments.withStatus(task, TaskAttachments.DETACHING).attachments());
            } else {
                next.attachments(TaskAttachments.withStatus(task, TaskAttachments.DELETED).attachments());
            }
            if (task.stopCode() == null) {
                next.stopCode(wasRunning ? TaskStopCode.ESSENTIAL_CONTAINER_EXITED : TaskStopCode.TASK_FAILED_TO_START);
                next.stoppedReason(Optional.ofNullable(request.reason()).filter(r -> !r.isBlank())
                        .orElse(wasRunning ? "Essential container in task exited" : "Task failed to start"));
            }
        }
    }

    private static List<Container> applyContainer(List<Container> containers, String name, String status,
                                                  Integer exitCode, String reason, String runtimeId,
                                                  List<dev.stevedore.model.ecs.NetworkBinding> bindings,
                                                  String imageDigest) {
        List<Container> out = new ArrayList<>(containers.size());
        for (Container c : containers) {
            if (!c.name().equals(name)) {
                out.add(c);
                continue;
            }
            Container.Builder b = c.toBuilder();
            if (status != null && TaskStatus.isForward(c.lastStatus(), status)) {
                b.lastStatus(status);
            }
            if (exitCode != null) {
                b.exitCode(exitCode);
            }
            if (reason != null) {
                b.reason(reason.length() > 1024 ? reason.substring(0, 1024) : reason);
            }
            if (runtimeId != null) {
                b.runtimeId(runtimeId);
            }
            if (bindings != null && !bindings.isEmpty()) {
                b.networkBindings(bindings);
            }
            if (imageDigest != null) {
                b.imageDigest(imageDigest);
            }
            out.add(b.build());
        }
        return out;
    }

    /**
     * A report about a task that is not there: ClusterNotFoundException when the cluster is not
     * there either (the model declares it for both calls). The cluster is read only on this path,
     * so that agents' ordinary reports cost no extra read.
     */
    private static AwsException taskNotFound(StoreTx tx, EcsScope scope, String cluster) {
        Clusters.requireActiveForAgent(tx, scope, cluster);
        return EcsErrors.invalidParameter("The referenced task was not found.");
    }
}
