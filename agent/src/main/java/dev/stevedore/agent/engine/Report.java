package dev.stevedore.agent.engine;

import dev.stevedore.model.ecs.SubmitAttachmentStateChangesRequest;
import dev.stevedore.model.ecs.SubmitContainerStateChangeRequest;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import java.util.Map;
import java.util.Objects;

/** One message for the {@link StateReporter}, with what it tells about the task's statuses. */
sealed interface Report {

    /** Sends it. */
    void deliver(StateReporter reporter);

    /** Whether this report makes {@code older}, not yet delivered, pointless to send. */
    boolean supersedes(Report older);

    record ContainerChange(String containerName, WireStatus status, SubmitContainerStateChangeRequest request) implements Report {
        public ContainerChange {
            Objects.requireNonNull(containerName, "containerName");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(request, "request");
        }

        @Override
        public void deliver(StateReporter reporter) {
            reporter.submitContainerStateChange(request);
        }

        @Override
        public boolean supersedes(Report older) {
            return older instanceof ContainerChange c && c.containerName.equals(containerName) && status.isAfter(c.status);
        }
    }

    /** @param carried the container statuses its {@code containers[]} tells */
    record TaskChange(WireStatus status, Map<String, WireStatus> carried, SubmitTaskStateChangeRequest request) implements Report {
        public TaskChange {
            Objects.requireNonNull(status, "status");
            carried = Map.copyOf(carried);
            Objects.requireNonNull(request, "request");
        }

        @Override
        public void deliver(StateReporter reporter) {
            reporter.submitTaskStateChange(request);
        }

        /** A task's final report tells the final state of all its containers too. */
        @Override
        public boolean supersedes(Report older) {
            if (status != WireStatus.STOPPED) {
                return false;
            }
            return switch (older) {
                case TaskChange t -> status.isAfter(t.status);
                case ContainerChange c -> true;
                case HealthChange h -> true;
                // ECS's order: the task's STOPPED only after its attachment's DETACHED.
                case AttachmentChange a -> false;
            };
        }
    }

    /** An {@code awsvpc} task's attachment: ATTACHING, ATTACHED or DETACHED. */
    record AttachmentChange(AttachmentStatus status, SubmitAttachmentStateChangesRequest request) implements Report {
        public AttachmentChange {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(request, "request");
        }

        @Override
        public void deliver(StateReporter reporter) {
            reporter.submitAttachmentStateChanges(request);
        }

        /** A later status makes an unsent earlier one pointless; the task's reports never do (they must follow it). */
        @Override
        public boolean supersedes(Report older) {
            return older instanceof AttachmentChange a && status.isAfter(a.status);
        }
    }

    record HealthChange(TaskHealthChange change) implements Report {
        public HealthChange {
            Objects.requireNonNull(change, "change");
        }

        @Override
        public void deliver(StateReporter reporter) {
            reporter.submitTaskHealthChange(change);
        }

        @Override
        public boolean supersedes(Report older) {
            return older instanceof HealthChange;
        }
    }
}
