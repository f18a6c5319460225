package dev.stevedore.agent.engine;

import dev.stevedore.model.ecs.AttachmentStateChange;
import dev.stevedore.model.ecs.ContainerStateChange;
import dev.stevedore.model.ecs.SubmitAttachmentStateChangesRequest;
import dev.stevedore.model.ecs.SubmitContainerStateChangeRequest;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the ECS wire requests that tell a task's and its containers' known state (pure). */
final class Reports {

    /** ECS caps reasons at 1024 characters. */
    static final int MAX_REASON = 1024;

    private Reports() {}

    static Report.ContainerChange container(String cluster, TaskRecord task, ContainerRecord c) {
        ContainerStateChange change = change(c);
        SubmitContainerStateChangeRequest request = SubmitContainerStateChangeRequest.builder()
                .cluster(cluster)
                .task(task.taskArn())
                .containerName(c.name())
                .runtimeId(change.runtimeId())
                .status(change.status())
                .exitCode(change.exitCode())
                .reason(change.reason())
                .networkBindings(change.networkBindings())
                .build();
        return new Report.ContainerChange(c.name(), c.phase().wire(), request);
    }

    /** The task's status with a snapshot of every container that has got as far as RUNNING or STOPPED. */
    static Report.TaskChange task(String cluster, TaskRecord task) {
        Map<String, WireStatus> carried = new LinkedHashMap<>();
        List<ContainerStateChange> containers = new ArrayList<>();
        for (ContainerRecord c : task.containers()) {
            if (c.phase().wire().reportable()) {
                carried.put(c.name(), c.phase().wire());
                containers.add(change(c));
            }
        }
        boolean stopped = task.known() == WireStatus.STOPPED;
        SubmitTaskStateChangeRequest request = SubmitTaskStateChangeRequest.builder()
                .cluster(cluster)
                .task(task.taskArn())
                .status(task.known().name())
                .reason(stopped ? task.stop().map(s -> truncate(s.reason())).orElse(null) : null)
                .containers(containers)
                .pullStartedAt(task.pullStartedAt().orElse(null))
                .pullStoppedAt(task.pullStoppedAt().orElse(null))
                .executionStoppedAt(stopped ? task.executionStoppedAt().orElse(null) : null)
                .build();
        return new Report.TaskChange(task.known(), carried, request);
    }

    /** The attachment's status, alone in its request, as the ECS agent sends a task's. */
    static Report.AttachmentChange attachment(String cluster, TaskNetworkRecord network) {
        SubmitAttachmentStateChangesRequest request = SubmitAttachmentStateChangesRequest.builder()
                .cluster(cluster)
                .attachments(List.of(AttachmentStateChange.builder()
                        .attachmentArn(network.attachmentArn())
                        .status(network.known().name())
                        .build()))
                .build();
        return new Report.AttachmentChange(network.known(), request);
    }

    static ContainerStateChange change(ContainerRecord c) {
        boolean stopped = c.stopped();
        return ContainerStateChange.builder()
                .containerName(c.name())
                .runtimeId(c.dockerId().orElse(null))
                .status(c.phase().wire().name())
                .exitCode(stopped && c.exitCode().isPresent() ? c.exitCode().getAsInt() : null)
                .reason(c.reason().map(Reports::truncate).orElse(null))
                .networkBindings(!stopped && !c.networkBindings().isEmpty() ? c.networkBindings() : null)
                .imageDigest(c.imageDigest().orElse(null))
                .build();
    }

    private static String truncate(String s) {
        return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON);
    }
}
