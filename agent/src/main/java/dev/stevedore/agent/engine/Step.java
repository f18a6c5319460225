package dev.stevedore.agent.engine;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The next thing a task's supervisor does, as {@link Transitions} decides it. */
sealed interface Step {

    /**
     * Read the secrets and registry credentials of the containers still to create, with the task's
     * execution role, before anything is pulled or created.
     */
    record ResolveSecrets() implements Step {}

    /** Make the images of the containers still to create present on the host. */
    record PullImages() implements Step {}

    /** Create the task's volumes and cgroup. */
    record Prepare() implements Step {}

    /**
     * An {@code awsvpc} task's network namespace: the subnet's network on the host, and the pause
     * container on it with the task's address, before any of the task's containers starts.
     */
    record SetUpNetwork() implements Step {}

    /** Remove the pause container of an {@code awsvpc} task whose containers have all stopped. */
    record TearDownNetwork() implements Step {}

    /** Create (unless created) and start a container whose dependencies are met. */
    record StartContainer(String name) implements Step {}

    /** These containers will never run, for this reason. */
    record FailContainers(List<String> names, String reason) implements Step {
        public FailContainers {
            names = List.copyOf(names);
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Every essential container runs: the task is RUNNING. */
    record BecomeRunning() implements Step {}

    record BeginStop(StopCause cause) implements Step {
        public BeginStop {
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** SIGTERM, then SIGKILL after the container's stop timeout. */
    record StopContainer(String name) implements Step {}

    /** No container runs any more: the task is STOPPED. */
    record FinishStop() implements Step {}

    /** Remove the stopped task's containers, task-scoped volumes and cgroup. */
    record Cleanup() implements Step {}

    /** Nothing is left to do or report: delete the task's state and end its supervisor. */
    record Forget() implements Step {}

    /** Wait for news, or until {@code wakeAt} when a deadline is pending. */
    record Idle(Optional<Instant> wakeAt) implements Step {
        public Idle {
            Objects.requireNonNull(wakeAt, "wakeAt");
        }

        static Idle untilNews() {
            return new Idle(Optional.empty());
        }
    }
}
