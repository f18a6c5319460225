package dev.stevedore.agent.engine;

import dev.stevedore.agent.engine.DependencyCheck.Result;
import dev.stevedore.model.ecs.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The task lifecycle as a pure function: from what the control plane wants and what the engine
 * knows, the one next step. The supervisor executes it, records the outcome and asks again until
 * the answer is to wait.
 */
final class Transitions {

    static final String UNWANTED_REASON = "Task is no longer assigned to this container instance";
    static final String STOPPED_BY_CONTROL_PLANE = "Task stopped by the control plane";
    static final String NEVER_STARTED = "Task was stopped before this container instance started it";
    static final String NETWORK_LOST = "The task's network namespace was lost: ";
    static final String CONTAINERS_MISSING =
            "The task's containers are not on this container instance (the agent has no record of them)";

    /** Control-plane statuses of a task that this agent has not started yet. */
    private static final Set<String> NOT_YET_RUNNING = Set.of("PROVISIONING", "PENDING", "ACTIVATING");

    private Transitions() {}

    /** What the engine does with a task it meets for the first time in a desired state. */
    sealed interface Admission {
        record Start() implements Admission {}

        /** Never run it, but tell the control plane it is stopped. */
        record ReportStopped(StopCause cause) implements Admission {}

        /** Nothing to run and nothing to tell. */
        record Ignore() implements Admission {}
    }

    /**
     * Decides on a task this engine has no record of (adoption has already run). A task the
     * control plane already believes running or stopped is never started here, since that would
     * run it twice or bring it back.
     */
    static Admission admit(Task task) {
        String last = task.lastStatus();
        if ("STOPPED".equals(last)) {
            return new Admission.Ignore();
        }
        boolean notYetRunning = last == null || NOT_YET_RUNNING.contains(last);
        if ("STOPPED".equals(task.desiredStatus())) {
            return new Admission.ReportStopped(new StopCause(
                    StopCode.parse(task.stopCode()).orElse(StopCode.UserInitiated),
                    task.stoppedReason() != null ? task.stoppedReason() : NEVER_STARTED));
        }
        if (notYetRunning) {
            return new Admission.Start();
        }
        return new Admission.ReportStopped(new StopCause(StopCode.EssentialContainerExited, CONTAINERS_MISSING));
    }

    /**
     * Where the supervisor stands with the task's secrets, which live in its memory only (never in
     * the record): read this run, not read, or not to be read yet because the task was adopted from
     * the state file, which has no credentials, and the control plane has not named it since.
     */
    enum Secrets {
        HELD,
        NOT_HELD,
        AWAITING_ASSIGNMENT
    }

    static Step next(TaskRecord r, TaskPlan plan, Secrets secrets, Instant now, Duration cleanupDelay) {
        if (r.known() == WireStatus.STOPPED) {
            return afterStop(r, now, cleanupDelay);
        }
        if (r.stop().isPresent()) {
            return stopping(r, plan);
        }
        Optional<StopCause> cause = stopCause(r, plan);
        if (cause.isPresent()) {
            return new Step.BeginStop(cause.get());
        }
        if (r.assignment().isEmpty()) {
            // Found on the host without a record: watched, but nothing is started until the
            // control plane says what the task is.
            return Step.Idle.untilNews();
        }
        if (plan.error().isPresent()) {
            List<String> startable = startable(r);
            return startable.isEmpty()
                    ? new Step.BeginStop(StopCause.failedToStart(plan.error().get()))
                    : new Step.FailContainers(startable, plan.error().get());
        }
        if (secrets != Secrets.HELD && SecretResolution.needed(r, plan)) {
            return secrets == Secrets.NOT_HELD ? new Step.ResolveSecrets() : Step.Idle.untilNews();
        }
        if (!r.imagesPulled()) {
            return new Step.PullImages();
        }
        if (!r.prepared()) {
            return new Step.Prepare();
        }
        if (plan.networkInterface().isPresent() && !r.network().map(TaskNetworkRecord::attached).orElse(false)) {
            return new Step.SetUpNetwork();
        }
        return starting(r, plan, now);
    }

    private static Step starting(TaskRecord r, TaskPlan plan, Instant now) {
        Optional<Instant> wake = Optional.empty();
        for (String name : plan.startOrder()) {
            ContainerRecord c = r.container(name).orElseThrow();
            if (!c.phase().startable()) {
                continue;
            }
            PlannedContainer pc = plan.container(name).orElseThrow();
            Optional<String> failure = Optional.empty();
            boolean waiting = false;
            for (Dependency d : pc.dependsOn()) {
                boolean hasCheck = plan.container(d.containerName()).map(PlannedContainer::hasHealthCheck).orElse(false);
                Result result = DependencyCheck.evaluate(d, r.container(d.containerName()), hasCheck);
                if (result instanceof Result.Failed f) {
                    failure = Optional.of(DependencyCheck.failureReason(name, d, f.why()));
                    break;
                }
                waiting |= result instanceof Result.Waiting;
            }
            if (failure.isPresent()) {
                return new Step.FailContainers(List.of(name), failure.get());
            }
            if (!waiting) {
                return new Step.StartContainer(name);
            }
            if (pc.startTimeout().isPresent()) {
                Instant deadline = r.pullStoppedAt().orElse(now).plus(pc.startTimeout().get());
                if (!now.isBefore(deadline)) {
                    return new Step.FailContainers(List.of(name), "CannotStartContainerError: container " + name
                            + " timed out after " + pc.startTimeout().get().toSeconds() + " s waiting for its dependencies");
                }
                wake = earliest(wake, deadline);
            }
        }
        if (r.known() == WireStatus.PENDING && allEssentialRunning(r, plan)) {
            return new Step.BecomeRunning();
        }
        return new Step.Idle(wake);
    }

    private static Optional<StopCause> stopCause(TaskRecord r, TaskPlan plan) {
        if (r.unwanted()) {
            return Optional.of(new StopCause(StopCode.UserInitiated, UNWANTED_REASON));
        }
        if (r.desiredStopped()) {
            var task = r.assignment().orElseThrow().task();
            return Optional.of(new StopCause(
                    StopCode.parse(task.stopCode()).orElse(StopCode.UserInitiated),
                    task.stoppedReason() != null ? task.stoppedReason() : STOPPED_BY_CONTROL_PLANE));
        }
        Optional<String> lost = r.network().flatMap(TaskNetworkRecord::lost);
        if (lost.isPresent()) {
            return Optional.of(new StopCause(StopCode.EssentialContainerExited, NETWORK_LOST + lost.get()));
        }
        if (r.assignment().isEmpty()) {
            return Optional.empty();
        }
        for (PlannedContainer pc : plan.containers()) {
            ContainerRecord c = r.container(pc.name()).orElseThrow();
            if (pc.essential() && c.stopped()) {
                if (r.known() == WireStatus.PENDING && !c.started() && c.reason().isPresent()) {
                    return Optional.of(StopCause.failedToStart(c.reason().get()));
                }
                return Optional.of(StopCause.essentialExited());
            }
        }
        return Optional.empty();
    }

    private static Step stopping(TaskRecord r, TaskPlan plan) {
        List<String> order = new ArrayList<>(plan.stopOrder());
        // Containers the plan does not know (adopted ones the definition no longer names) stop first.
        r.containers().stream().map(ContainerRecord::name).filter(n -> !order.contains(n)).forEach(n -> order.add(0, n));
        for (String name : order) {
            Optional<ContainerRecord> c = r.container(name);
            if (c.isPresent() && c.get().phase() == ContainerPhase.RUNNING) {
                return new Step.StopContainer(name);
            }
        }
        // As ECS: the namespace goes after the containers, and its DETACHED is told before the task's STOPPED.
        if (r.network().isPresent() && !r.network().get().detached()) {
            return new Step.TearDownNetwork();
        }
        return new Step.FinishStop();
    }

    private static Step afterStop(TaskRecord r, Instant now, Duration cleanupDelay) {
        if (!r.cleanedUp()) {
            // A task the control plane has forgotten has no one left to look at its containers.
            Instant deadline = r.unwanted() ? now : r.executionStoppedAt().orElse(now).plus(cleanupDelay);
            return now.isBefore(deadline) ? new Step.Idle(Optional.of(deadline)) : new Step.Cleanup();
        }
        // Containers found without a record are never reported, so there is no acknowledgement to wait for.
        if (r.unwanted() && (r.reported() == WireStatus.STOPPED || r.assignment().isEmpty())) {
            return new Step.Forget();
        }
        return Step.Idle.untilNews();
    }

    private static boolean allEssentialRunning(TaskRecord r, TaskPlan plan) {
        return plan.containers().stream()
                .filter(PlannedContainer::essential)
                .allMatch(pc -> r.container(pc.name()).map(c -> c.phase() == ContainerPhase.RUNNING).orElse(false));
    }

    private static List<String> startable(TaskRecord r) {
        return r.containers().stream().filter(c -> c.phase().startable()).map(ContainerRecord::name).toList();
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Instant b) {
        return a.isPresent() && a.get().isBefore(b) ? a : Optional.of(b);
    }
}
