package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.HealthStatus;
import java.util.Objects;
import java.util.Optional;

/** Whether a container's dependency is met now, may still be met, or never will be (pure). */
final class DependencyCheck {

    /** The verdict on one dependency. */
    sealed interface Result {
        record Met() implements Result {}

        record Waiting() implements Result {}

        /** @param why what happened to the dependency, in words for a stop reason */
        record Failed(String why) implements Result {
            public Failed {
                Objects.requireNonNull(why, "why");
            }
        }
    }

    static final Result MET = new Result.Met();
    static final Result WAITING = new Result.Waiting();

    private DependencyCheck() {}

    /**
     * @param target           the dependency's record; absent when the task has no such container
     * @param targetHasCheck   whether the dependency's definition has a health check
     */
    static Result evaluate(Dependency d, Optional<ContainerRecord> target, boolean targetHasCheck) {
        if (target.isEmpty()) {
            return new Result.Failed(d.containerName() + " is not a container of the task");
        }
        ContainerRecord t = target.get();
        boolean exited = t.stopped();
        return switch (d.condition()) {
            case START -> t.started() ? MET : exited ? neverRan(t) : WAITING;
            case COMPLETE -> exited ? (t.started() ? MET : neverRan(t)) : WAITING;
            case SUCCESS -> !exited ? WAITING
                    : t.exitCode().isPresent() && t.exitCode().getAsInt() == 0 ? MET
                    : !t.started() ? neverRan(t)
                    : new Result.Failed(t.name() + " exited with code "
                            + (t.exitCode().isPresent() ? Integer.toString(t.exitCode().getAsInt()) : "unknown"));
            case HEALTHY -> healthy(t, targetHasCheck);
        };
    }

    private static Result healthy(ContainerRecord t, boolean hasCheck) {
        if (!hasCheck) {
            return new Result.Failed(t.name() + " has no health check");
        }
        if (t.health() == HealthStatus.HEALTHY) {
            return MET;
        }
        if (t.health() == HealthStatus.UNHEALTHY) {
            return new Result.Failed(t.name() + " is unhealthy");
        }
        return t.stopped() ? new Result.Failed(t.name() + " stopped before it became healthy") : WAITING;
    }

    private static Result neverRan(ContainerRecord t) {
        return new Result.Failed(t.name() + " never started" + t.reason().map(r -> " (" + r + ")").orElse(""));
    }

    /** The stop reason of a container whose dependency failed. */
    static String failureReason(String container, Dependency d, String why) {
        return "CannotStartContainerError: dependency of container " + container + " on " + d.containerName()
                + " (condition " + d.condition() + ") cannot be met: " + why;
    }
}
