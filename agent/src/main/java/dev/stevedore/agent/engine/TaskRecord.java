package dev.stevedore.agent.engine;

import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.ContainerDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Everything the engine knows about one task: the control plane's latest word on it, the known
 * status of the task and its containers, what has been acknowledged, and what there is to clean
 * up. It is what a task's supervisor owns and what is saved in the task's state file.
 *
 * @param assignment     the task and its definition as last pushed; absent for containers found
 *                       on the host without a state file, until the control plane names the task
 * @param unwanted       the latest complete desired state no longer lists the task
 * @param known          the task's known status: PENDING, RUNNING or STOPPED, never going back
 * @param stop           present once the engine decided to stop the task
 * @param imagesPulled   the images of the containers have been made present (or failed to)
 * @param prepared       the task's volumes and cgroup exist
 * @param reported       the last task status the control plane acknowledged
 * @param cgroupParent   the task cgroup its containers were created under, if any
 * @param cleanedUp      the task's containers and task-scoped volumes are gone
 * @param network        an {@code awsvpc} task's network namespace and attachment; empty for
 *                       every other network mode
 */
record TaskRecord(
        String taskArn,
        Optional<TaskAssignment> assignment,
        boolean unwanted,
        WireStatus known,
        Optional<StopCause> stop,
        boolean imagesPulled,
        boolean prepared,
        Optional<Instant> pullStartedAt,
        Optional<Instant> pullStoppedAt,
        Optional<Instant> executionStoppedAt,
        List<ContainerRecord> containers,
        WireStatus reported,
        Optional<String> cgroupParent,
        boolean cleanedUp,
        Optional<TaskNetworkRecord> network) {

    TaskRecord {
        Objects.requireNonNull(taskArn, "taskArn");
        Objects.requireNonNull(assignment, "assignment");
        Objects.requireNonNull(known, "known");
        Objects.requireNonNull(stop, "stop");
        Objects.requireNonNull(pullStartedAt, "pullStartedAt");
        Objects.requireNonNull(pullStoppedAt, "pullStoppedAt");
        Objects.requireNonNull(executionStoppedAt, "executionStoppedAt");
        containers = List.copyOf(containers);
        Objects.requireNonNull(reported, "reported");
        Objects.requireNonNull(cgroupParent, "cgroupParent");
        Objects.requireNonNull(network, "network");
    }

    /** A task the engine is about to start: every container of its definition still to create. */
    static TaskRecord fresh(TaskAssignment assignment) {
        List<ContainerRecord> containers = definitionNames(assignment).stream().map(ContainerRecord::pending).toList();
        return new TaskRecord(assignment.task().taskArn(), Optional.of(assignment), false, WireStatus.PENDING,
                Optional.empty(), false, false, Optional.empty(), Optional.empty(), Optional.empty(), containers,
                WireStatus.NONE, Optional.empty(), false, networkOf(assignment));
    }

    /**
     * A task that will never run here but must be reported stopped: the control plane stopped it
     * before this agent saw it, or believes it runs although nothing of it exists on this host.
     */
    static TaskRecord stoppedUnstarted(TaskAssignment assignment, StopCause cause, Instant now) {
        TaskRecord fresh = fresh(assignment);
        return new TaskRecord(fresh.taskArn, fresh.assignment, false, WireStatus.STOPPED, Optional.of(cause), false,
                false, Optional.empty(), Optional.empty(), Optional.of(now),
                fresh.containers.stream().map(ContainerRecord::abandoned).toList(), WireStatus.NONE, Optional.empty(), true,
                fresh.network.map(TaskNetworkRecord::nowDetached));
    }

    /** Containers found on the host with no state file: kept under watch until the control plane says what they are. */
    static TaskRecord orphan(String taskArn, List<ContainerRecord> containers, Optional<TaskNetworkRecord> network) {
        return new TaskRecord(taskArn, Optional.empty(), false, WireStatus.PENDING, Optional.empty(), false, false,
                Optional.empty(), Optional.empty(), Optional.empty(), containers, WireStatus.NONE, Optional.empty(), false,
                network);
    }

    /** The attachment an {@code awsvpc} task reports; the first interface's, as ECS gives a task one. */
    private static Optional<TaskNetworkRecord> networkOf(TaskAssignment assignment) {
        return assignment.networkInterfaces().stream().findFirst().map(i -> TaskNetworkRecord.pending(i.attachmentArn()));
    }

    TaskRecord withNetwork(TaskNetworkRecord value) {
        return new TaskRecord(taskArn, assignment, unwanted, known, stop, imagesPulled, prepared, pullStartedAt,
                pullStoppedAt, executionStoppedAt, containers, reported, cgroupParent, cleanedUp, Optional.of(value));
    }

    /** The last segment of the task ARN. */
    String taskId() {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    boolean desiredStopped() {
        return assignment.map(a -> "STOPPED".equals(a.task().desiredStatus())).orElse(false);
    }

    boolean stopping() {
        return stop.isPresent() && known != WireStatus.STOPPED;
    }

    Optional<ContainerRecord> container(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    TaskRecord withContainer(ContainerRecord updated) {
        return withContainers(c -> c.name().equals(updated.name()) ? updated : c);
    }

    TaskRecord withContainers(UnaryOperator<ContainerRecord> change) {
        return new TaskRecord(taskArn, assignment, unwanted, known, stop, imagesPulled, prepared, pullStartedAt,
                pullStoppedAt, executionStoppedAt, containers.stream().map(change).toList(), reported, cgroupParent,
                cleanedUp, network);
    }

    /**
     * Takes the control plane's latest word on the task. For a task adopted without a state file
     * this is where it learns its definition: containers the definition names that were not found
     * are added, to be created.
     */
    TaskRecord withAssignment(TaskAssignment value) {
        List<ContainerRecord> merged = new ArrayList<>();
        for (String name : definitionNames(value)) {
            merged.add(container(name).orElseGet(() -> ContainerRecord.pending(name)));
        }
        for (ContainerRecord c : containers) {
            if (merged.stream().noneMatch(m -> m.name().equals(c.name()))) {
                merged.add(c);
            }
        }
        return new TaskRecord(taskArn, Optional.of(value), false, known, stop, imagesPulled, prepared, pullStartedAt,
                pullStoppedAt, executionStoppedAt, merged, reported, cgroupParent, cleanedUp,
                network.or(() -> networkOf(value)));
    }

    TaskRecord withUnwanted() {
        return new TaskRecord(taskArn, assignment, true, known, stop, imagesPulled, prepared, pullStartedAt,
                pullStoppedAt, executionStoppedAt, containers, reported, cgroupParent, cleanedUp, network);
    }

    TaskRecord withPullStarted(Instant at) {
        return new TaskRecord(taskArn, assignment, unwanted, known, stop, imagesPulled, prepared,
                pullStartedAt.or(() -> Optional.of(at)), pullStoppedAt, executionStoppedAt, containers, reported,
                cgroupParent, cleanedUp, network);
    }

    TaskRecord withImagesPulled(Instant at) {
        return new TaskRecord(taskArn, assignment, unwanted, known, stop, true, prepared, pullStartedAt,
                Optional.of(at), executionStoppedAt, containers, reported, cgroupParent, cleanedUp, network);
    }

    TaskRecord withPrepared(Optional<String> cgroup) {
        return new TaskRecord(taskArn, assignment, unwanted, known, stop, imagesPulled, true, pullStartedAt,
                pullStoppedAt, executionStoppedAt, containers, reported, cgroup, cleanedUp, network);
    }

    TaskRecord running() {
        return new TaskRecord(taskArn, assignment, unwanted, WireStatus.max(known, WireStatus.RUNNING), stop,
                imagesPulled, prepared, pullStartedAt, pullStoppedAt, executionStoppedAt, containers, reported,
                cgroupParent, cleanedUp, network);
    }

    /** Decides to stop; the first cause is the one that counts. */
    TaskRecord stopping(StopCause cause) {
        return new TaskRecord(taskArn, assignment, unwanted, known, stop.or(() -> Optional.of(cause)), imagesPulled,
                prepared, pullStartedAt, pullStoppedAt, executionStoppedAt, containers, reported, cgroupParent, cleanedUp, network);
    }

    /** Every container has stopped: the task is STOPPED; containers that never ran are too. */
    TaskRecord stopped(Instant at) {
        return new TaskRecord(taskArn, assignment, unwanted, WireStatus.STOPPED, stop, imagesPulled, prepared,
                pullStartedAt, pullStoppedAt, executionStoppedAt.or(() -> Optional.of(at)),
                containers.stream().map(ContainerRecord::abandoned).toList(), reported, cgroupParent, cleanedUp, network);
    }

    TaskRecord cleaned() {
        return new TaskRecord(taskArn, assignment, unwanted, known, stop, imagesPulled, prepared, pullStartedAt,
                pullStoppedAt, executionStoppedAt, containers, reported, cgroupParent, true, network);
    }

    TaskRecord acknowledged(WireStatus status) {
        return new TaskRecord(taskArn, assignment, unwanted, known, stop, imagesPulled, prepared, pullStartedAt,
                pullStoppedAt, executionStoppedAt, containers, WireStatus.max(reported, status), cgroupParent, cleanedUp, network);
    }

    private static List<String> definitionNames(TaskAssignment a) {
        List<ContainerDefinition> defs = a.taskDefinition().containerDefinitions();
        return defs == null ? List.of()
                : defs.stream().map(ContainerDefinition::name).filter(n -> n != null && !n.isBlank()).distinct().toList();
    }
}
