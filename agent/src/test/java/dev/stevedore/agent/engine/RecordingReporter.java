package dev.stevedore.agent.engine;

import dev.stevedore.model.ecs.ContainerStateChange;
import dev.stevedore.model.ecs.SubmitAttachmentStateChangesRequest;
import dev.stevedore.model.ecs.SubmitContainerStateChangeRequest;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A {@link StateReporter} that records what it is sent, in order, and can be told to fail for
 * some tasks, as a control plane that cannot be reached would.
 */
final class RecordingReporter implements StateReporter {

    /**
     * One delivered report: exactly one of the four requests is present. An attachment's report
     * names no task: its {@code task} is the attachment's ARN.
     */
    record Received(
            String task,
            Optional<SubmitTaskStateChangeRequest> taskChange,
            Optional<SubmitContainerStateChangeRequest> containerChange,
            Optional<TaskHealthChange> health,
            Optional<SubmitAttachmentStateChangesRequest> attachment) {

        Received(String task, Optional<SubmitTaskStateChangeRequest> taskChange,
                Optional<SubmitContainerStateChangeRequest> containerChange, Optional<TaskHealthChange> health) {
            this(task, taskChange, containerChange, health, Optional.empty());
        }

        /** "task RUNNING", "container web STOPPED", "health {web=HEALTHY}": what a test compares. */
        String summary() {
            if (taskChange.isPresent()) {
                return "task " + taskChange.get().status();
            }
            if (containerChange.isPresent()) {
                return "container " + containerChange.get().containerName() + " " + containerChange.get().status();
            }
            if (attachment.isPresent()) {
                return "attachment " + attachment.get().attachments().getFirst().status();
            }
            return "health " + new java.util.TreeMap<>(health.orElseThrow().containers());
        }
    }

    private final List<Received> received = new ArrayList<>();
    private volatile Predicate<String> failingFor = task -> false;
    private int failures;

    /** Calls about tasks matching {@code tasks} throw until {@link #heal()}. */
    void failFor(Predicate<String> tasks) {
        failingFor = tasks;
    }

    void heal() {
        failingFor = task -> false;
    }

    @Override
    public void submitTaskStateChange(SubmitTaskStateChangeRequest request) {
        accept(request.task(), new Received(request.task(), Optional.of(request), Optional.empty(), Optional.empty()));
    }

    @Override
    public void submitContainerStateChange(SubmitContainerStateChangeRequest request) {
        accept(request.task(), new Received(request.task(), Optional.empty(), Optional.of(request), Optional.empty()));
    }

    @Override
    public void submitAttachmentStateChanges(SubmitAttachmentStateChangesRequest request) {
        String attachment = request.attachments().getFirst().attachmentArn();
        accept(attachment, new Received(attachment, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(request)));
    }

    @Override
    public void submitTaskHealthChange(TaskHealthChange change) {
        accept(change.task(), new Received(change.task(), Optional.empty(), Optional.empty(), Optional.of(change)));
    }

    private synchronized void accept(String task, Received r) {
        if (failingFor.test(task)) {
            failures++;
            throw new IllegalStateException("control plane unreachable (test)");
        }
        received.add(r);
    }

    synchronized int failures() {
        return failures;
    }

    synchronized List<Received> all() {
        return List.copyOf(received);
    }

    synchronized List<Received> of(String task) {
        return received.stream().filter(r -> r.task().equals(task)).toList();
    }

    /** The summaries of a task's reports without health, in order. */
    List<String> transitions(String task) {
        return of(task).stream().filter(r -> r.health().isEmpty()).map(Received::summary).toList();
    }

    /** The summaries of a task's and its attachment's reports without health, in the order they arrived. */
    synchronized List<String> transitions(String task, String attachmentArn) {
        return received.stream()
                .filter(r -> r.task().equals(task) || r.task().equals(attachmentArn))
                .filter(r -> r.health().isEmpty())
                .map(Received::summary)
                .toList();
    }

    List<SubmitTaskStateChangeRequest> taskChanges(String task) {
        return of(task).stream().flatMap(r -> r.taskChange().stream()).toList();
    }

    Optional<SubmitTaskStateChangeRequest> taskChange(String task, String status) {
        return taskChanges(task).stream().filter(t -> status.equals(t.status())).findFirst();
    }

    List<TaskHealthChange> healthChanges(String task) {
        return of(task).stream().flatMap(r -> r.health().stream()).toList();
    }

    /**
     * The latest thing reported about a container, whether on its own or inside a task change,
     * as a {@link ContainerStateChange}.
     */
    Optional<ContainerStateChange> container(String task, String name) {
        Optional<ContainerStateChange> latest = Optional.empty();
        for (Received r : of(task)) {
            if (r.containerChange().isPresent() && name.equals(r.containerChange().get().containerName())) {
                SubmitContainerStateChangeRequest c = r.containerChange().get();
                latest = Optional.of(ContainerStateChange.builder().containerName(name).status(c.status()).exitCode(c.exitCode())
                        .reason(c.reason()).runtimeId(c.runtimeId()).networkBindings(c.networkBindings()).build());
            }
            if (r.taskChange().isPresent() && r.taskChange().get().containers() != null) {
                for (ContainerStateChange c : r.taskChange().get().containers()) {
                    if (name.equals(c.containerName())) {
                        latest = Optional.of(c);
                    }
                }
            }
        }
        return latest;
    }
}
