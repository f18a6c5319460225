package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.ContainerEvent;
import dev.stevedore.model.agent.TaskAssignment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervising loop of one task, on a virtual thread that alone owns the task's record. It
 * wakes on news (a new desired state, an engine event, a delivered report) or on its poll timer,
 * inspects the task's containers, takes the steps {@link Transitions} decides until there is
 * nothing to do, saves the record and hands new transitions to the task's {@link ReportOutbox}.
 */
final class TaskSupervisor {

    /** News for a supervisor. */
    sealed interface Signal {
        record Desired(TaskAssignment assignment) implements Signal {}

        /** The latest complete desired state does not list the task. */
        record Unwanted() implements Signal {}

        /** Something happened to one of the task's containers. */
        record Observe(ContainerEvent.Type type, String containerId) implements Signal {}

        /** The engine may have changed anything unseen (it was away): inspect every container now. */
        record Recheck() implements Signal {}

        record Delivered(Report report) implements Signal {}
    }

    private static final Logger log = LoggerFactory.getLogger(TaskSupervisor.class);
    /** A guard against a step that changes nothing: no task needs more steps in one round. */
    private static final int MAX_STEPS_PER_ROUND = 100;

    private final EngineContext ctx;
    private final TaskActions actions;
    private final Consumer<TaskSupervisor> onFinished;
    private final String taskArn;
    private final ReportOutbox outbox;
    private final LinkedBlockingQueue<Signal> mailbox = new LinkedBlockingQueue<>();
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final Thread thread;
    private boolean finished;
    private volatile boolean closing;
    private volatile TaskSnapshot snapshot;

    // Owned by the engine, under its lock: what it last told this supervisor, so that a desired
    // state that does not change the task does not wake it.
    private Optional<TaskAssignment> lastDesired;
    private boolean toldUnwanted;
    /**
     * Whether the supervisor was told the task in this run: an adopted one is told the first desired
     * state's assignment even when it equals the state file's, so it knows it may read its secrets.
     */
    private boolean toldThisRun;

    // Owned by the supervisor's thread.
    private TaskRecord record;
    private TaskPlan plan;
    private TaskRecord saved;
    private Instant lastObserved = Instant.MIN;
    private WireStatus enqueuedTask;
    private AttachmentStatus enqueuedAttachment;
    private final Map<String, WireStatus> enqueuedContainers = new HashMap<>();
    private Optional<TaskHealthChange> lastHealth = Optional.empty();
    private boolean endpointsReleased;
    /** Read at the task's start and dropped once it stops: in memory only, as they must never reach the disk. */
    private Optional<ResolvedSecrets> secrets = Optional.empty();
    /** Whether the control plane has named the task to this run of the agent (with its roles' credentials). */
    private boolean assignedThisRun;

    /**
     * @param assigned   whether {@code initial} comes from the control plane's word in this run,
     *                   rather than from the state file
     * @param onFinished told when the task is forgotten and the supervisor ends
     */
    TaskSupervisor(EngineContext ctx, TaskRecord initial, boolean assigned, Consumer<TaskSupervisor> onFinished) {
        this.ctx = ctx;
        this.actions = new TaskActions(ctx);
        this.onFinished = onFinished;
        this.taskArn = initial.taskArn();
        this.record = initial;
        this.plan = planFor(initial);
        this.enqueuedTask = initial.reported();
        this.enqueuedAttachment = initial.network().map(TaskNetworkRecord::reported).orElse(AttachmentStatus.NONE);
        initial.containers().forEach(c -> enqueuedContainers.put(c.name(), c.reported()));
        this.snapshot = Snapshots.of(initial, plan);
        this.lastDesired = initial.unwanted() ? Optional.empty() : initial.assignment();
        this.toldUnwanted = initial.unwanted();
        this.toldThisRun = assigned;
        this.assignedThisRun = assigned;
        this.outbox = new ReportOutbox(taskArn, ctx.reporter(), ctx.settings().reportRetryInitial(),
                ctx.settings().reportRetryMax(), report -> offer(new Signal.Delivered(report)));
        this.thread = Thread.ofVirtual().name("task-" + initial.taskId()).unstarted(this::run);
    }

    String taskArn() {
        return taskArn;
    }

    /** Reports made and not yet sent. */
    int pendingReports() {
        return outbox.pending();
    }

    TaskSnapshot snapshot() {
        return snapshot;
    }

    void start() {
        outbox.start();
        thread.start();
    }

    /** @return false once the supervisor has ended; the news is then for whoever comes next */
    boolean offer(Signal signal) {
        Objects.requireNonNull(signal, "signal");
        lifecycle.lock();
        try {
            if (finished) {
                return false;
            }
            mailbox.add(signal);
            return true;
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * The task's assignment in a new desired state; news only when it differs from the last one.
     * Called by the engine under its lock.
     *
     * @return false once the supervisor has ended; the assignment is then for whoever comes next
     */
    boolean desire(TaskAssignment assignment) {
        if (toldThisRun && lastDesired.isPresent() && lastDesired.get().equals(assignment)) {
            return isRunning();
        }
        if (!offer(new Signal.Desired(assignment))) {
            return false;
        }
        toldThisRun = true;
        lastDesired = Optional.of(assignment);
        toldUnwanted = false;
        return true;
    }

    /** The task is not in the latest desired state; told once. Called by the engine under its lock. */
    void unwanted() {
        if (!toldUnwanted && offer(new Signal.Unwanted())) {
            toldUnwanted = true;
            lastDesired = Optional.empty();
        }
    }

    private boolean isRunning() {
        lifecycle.lock();
        try {
            return !finished;
        } finally {
            lifecycle.unlock();
        }
    }

    /** Asks the loop to end without touching the containers; see {@link #awaitTermination()}. */
    void interrupt() {
        closing = true;
        thread.interrupt();
    }

    void awaitTermination() {
        try {
            if (!thread.join(Duration.ofSeconds(10))) {
                log.warn("task {}: supervisor did not end within 10 s", taskArn);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outbox.close();
    }

    private void run() {
        boolean news = true;
        while (!closing) {
            Optional<Instant> wakeAt = Optional.empty();
            try {
                Step last = round(news);
                if (last instanceof Step.Forget) {
                    if (finish()) {
                        return;
                    }
                } else if (last instanceof Step.Idle idle) {
                    wakeAt = idle.wakeAt();
                }
            } catch (RuntimeException e) {
                if (closing) {
                    return;
                }
                log.warn("task {}: {}; trying again in {}", taskArn, e.toString(), ctx.settings().pollInterval());
            }
            try {
                news = awaitNews(wakeAt);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Observes when due, then steps until there is nothing left to do; reports and saves what changed.
     *
     * <p>The record is saved once, when the round ends, not after every step: what the steps in
     * between learn (an image is present, a container runs or stopped, the task was cleaned up) is
     * found again after a crash by inspecting the engine, and each of those steps is safe to repeat.
     * The one thing that cannot be found again is a container's name before it exists, so the start
     * step saves that itself ({@link #checkpoint}). Reports go to the outbox before the save: a
     * report lost with the process is made again from the same observations, and the control plane
     * takes a repeated one as no change, so the save need not hold up the report.
     */
    private Step round(boolean observe) {
        try {
            Instant now = ctx.clock().instant();
            if (observe || !now.isBefore(lastObserved.plus(ctx.settings().pollInterval()))) {
                record = actions.refresh(record, plan);
                lastObserved = now;
            }
            for (int i = 0; i < MAX_STEPS_PER_ROUND; i++) {
                Step step = Transitions.next(record, plan, secretsState(), ctx.clock().instant(),
                        ctx.settings().cleanupDelay());
                if (step instanceof Step.Idle || step instanceof Step.Forget) {
                    return step;
                }
                record = execute(step);
            }
            log.error("task {}: no rest after {} steps; pausing", taskArn, MAX_STEPS_PER_ROUND);
            return Step.Idle.untilNews();
        } finally {
            releaseEndpointsOnceStopped();
            if (record.stop().isPresent()) {
                secrets = Optional.empty();
            }
            // The snapshot first, so that what the engine shows is never older than what it reported.
            snapshot = Snapshots.of(record, plan);
            publish();
            save();
        }
    }

    /**
     * A stopped task's credentials are refused and its routes to the task endpoints removed, once;
     * a route that cannot be removed now is tried again next round.
     */
    private void releaseEndpointsOnceStopped() {
        if (endpointsReleased || record.known() != WireStatus.STOPPED) {
            return;
        }
        // Its file system mounts too: the containers that bound them have exited.
        try {
            ctx.efs().releaseAll(record.taskId());
        } catch (RuntimeException e) {
            log.warn("task {}: cannot release its file system mounts: {}", taskArn, e.getMessage());
        }
        ctx.credentials().end(taskArn);
        try {
            ctx.routes().release(taskArn);
            endpointsReleased = true;
        } catch (RuntimeException e) {
            log.warn("task {}: cannot remove its routes to the task endpoints: {}", taskArn, e.getMessage());
        }
    }

    private Transitions.Secrets secretsState() {
        return secrets.isPresent() ? Transitions.Secrets.HELD
                : assignedThisRun ? Transitions.Secrets.NOT_HELD : Transitions.Secrets.AWAITING_ASSIGNMENT;
    }

    private TaskRecord execute(Step step) {
        Instant now = ctx.clock().instant();
        return switch (step) {
            case Step.ResolveSecrets s -> actions.resolveSecrets(record, plan, held -> secrets = Optional.of(held));
            case Step.PullImages p -> actions.pullImages(record, plan, secrets.orElse(ResolvedSecrets.NONE));
            case Step.Prepare p -> actions.prepare(record, plan);
            case Step.SetUpNetwork n -> actions.setUpNetwork(record, plan, secrets.orElse(ResolvedSecrets.NONE), this::attaching,
                    this::checkpoint);
            case Step.TearDownNetwork t -> actions.tearDownNetwork(record);
            case Step.StartContainer s -> actions.startContainer(record, plan, s.name(),
                    secrets.orElse(ResolvedSecrets.NONE), this::checkpoint);
            case Step.FailContainers f -> {
                log.info("task {}: containers {} will not run: {}", taskArn, f.names(), f.reason());
                yield record.withContainers(c -> f.names().contains(c.name()) ? c.failed(f.reason()) : c);
            }
            case Step.BecomeRunning b -> {
                log.info("task {}: RUNNING", taskArn);
                yield record.running();
            }
            case Step.BeginStop b -> {
                log.info("task {}: stopping ({}: {})", taskArn, b.cause().code(), b.cause().reason());
                yield record.stopping(b.cause());
            }
            case Step.StopContainer s -> actions.stopContainer(record, plan, s.name());
            case Step.FinishStop f -> {
                log.info("task {}: STOPPED", taskArn);
                yield record.stopped(now);
            }
            case Step.Cleanup c -> actions.cleanup(record, plan);
            case Step.Forget f -> throw new IllegalStateException("forget is not a step to execute");
            case Step.Idle i -> throw new IllegalStateException("idle is not a step to execute");
        };
    }

    /**
     * Saves the record before a container is created, with the name it is about to get: after a
     * crash during or right after the create, adoption finds the container by that name and its
     * labels instead of creating a second one, and the record it finds it with already holds the
     * task's assignment, images and cgroup.
     */
    private void checkpoint(TaskRecord intermediate) {
        record = intermediate;
        save();
    }

    /**
     * {@link #checkpoint} for the pause container, which also tells the control plane the
     * namespace is being made (ATTACHING) while the engine makes it, rather than at the round's end,
     * when ATTACHED has replaced it.
     */
    private void attaching(TaskRecord intermediate) {
        checkpoint(intermediate);
        publishAttachment();
    }

    private void save() {
        if (!record.equals(saved)) {
            ctx.store().save(record);
            saved = record;
        }
    }

    /** Hands the attachment's new status to the outbox, once. */
    private void publishAttachment() {
        if (closing || record.assignment().isEmpty()) {
            return;
        }
        if (record.network().isPresent() && record.network().get().known().isAfter(enqueuedAttachment)) {
            outbox.offer(Reports.attachment(ctx.identity().clusterArn(), record.network().get()));
            enqueuedAttachment = record.network().get().known();
        }
    }

    /**
     * Hands new transitions to the outbox, each once. A task transition carries its containers'
     * statuses, so container transitions go on their own only when the task's status did not
     * change with them.
     */
    private void publish() {
        if (closing || record.assignment().isEmpty()) {
            // Containers found without a record are not reported until the control plane names their task.
            return;
        }
        String cluster = ctx.identity().clusterArn();
        // First: the outbox sends in order, and ATTACHED must precede RUNNING, DETACHED precede STOPPED.
        publishAttachment();
        if (record.known().reportable() && record.known().isAfter(enqueuedTask)) {
            Report.TaskChange change = Reports.task(cluster, record);
            outbox.offer(change);
            enqueuedTask = record.known();
            change.carried().forEach((name, status) -> enqueuedContainers.merge(name, status, WireStatus::max));
        } else {
            for (ContainerRecord c : record.containers()) {
                WireStatus status = c.phase().wire();
                if (status.reportable() && status.isAfter(enqueuedContainers.getOrDefault(c.name(), WireStatus.NONE))) {
                    outbox.offer(Reports.container(cluster, record, c));
                    enqueuedContainers.put(c.name(), status);
                }
            }
        }
        if (record.known() == WireStatus.RUNNING && !record.stopping()) {
            Optional<TaskHealthChange> health = Snapshots.health(cluster, record, plan);
            if (health.isPresent() && !health.equals(lastHealth)) {
                outbox.offer(new Report.HealthChange(health.get()));
                lastHealth = health;
            }
        }
    }

    /** Waits for news or the next deadline; whether to inspect the containers next round. */
    private boolean awaitNews(Optional<Instant> wakeAt) throws InterruptedException {
        Duration wait = ctx.settings().pollInterval();
        if (wakeAt.isPresent()) {
            Duration untilDeadline = Duration.between(ctx.clock().instant(), wakeAt.get());
            wait = untilDeadline.isNegative() ? Duration.ZERO : untilDeadline.compareTo(wait) < 0 ? untilDeadline : wait;
        }
        Signal first = mailbox.poll(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
        if (first == null) {
            return false;
        }
        List<Signal> batch = new ArrayList<>();
        batch.add(first);
        mailbox.drainTo(batch);
        boolean observe = false;
        for (Signal s : batch) {
            switch (s) {
                case Signal.Desired d -> {
                    assignedThisRun = true;
                    record = record.withAssignment(d.assignment());
                    plan = planFor(record);
                }
                case Signal.Unwanted u -> record = record.withUnwanted();
                case Signal.Observe o -> observe |= tellsSomethingNew(o);
                case Signal.Recheck r -> observe = true;
                case Signal.Delivered d -> record = acknowledge(record, d.report());
            }
        }
        return observe;
    }

    /**
     * Whether an event may tell the supervisor something it does not know. The start of a
     * container it started itself does not: the start call already answered. Anything else (a
     * container dying, its health changing, a start by someone else) is looked at.
     */
    private boolean tellsSomethingNew(Signal.Observe event) {
        return event.type() != ContainerEvent.Type.START || record.containers().stream()
                .noneMatch(c -> c.phase() == ContainerPhase.RUNNING && c.dockerId().filter(event.containerId()::equals).isPresent());
    }

    private static TaskRecord acknowledge(TaskRecord r, Report report) {
        return switch (report) {
            case Report.TaskChange t -> {
                TaskRecord acked = r.acknowledged(t.status());
                yield acked.withContainers(c -> t.carried().containsKey(c.name()) ? c.acknowledged(t.carried().get(c.name())) : c);
            }
            case Report.ContainerChange c -> r.withContainers(x -> x.name().equals(c.containerName()) ? x.acknowledged(c.status()) : x);
            case Report.HealthChange h -> r;
            case Report.AttachmentChange a -> r.network().map(n -> r.withNetwork(n.acknowledged(a.status()))).orElse(r);
        };
    }

    /** Ends the supervisor unless news arrived meanwhile (the task was listed again, say). */
    private boolean finish() {
        lifecycle.lock();
        try {
            if (!mailbox.isEmpty()) {
                return false;
            }
            // Deleted before anyone can be told the supervisor has ended: a successor for the same
            // task (listed again) must not lose its fresh state file to this deletion.
            ctx.store().delete(taskArn);
            finished = true;
        } finally {
            lifecycle.unlock();
        }
        outbox.close();
        log.info("task {}: forgotten", taskArn);
        onFinished.accept(this);
        return true;
    }

    private TaskPlan planFor(TaskRecord r) {
        Duration stopTimeout = ctx.settings().defaultStopTimeout();
        return r.assignment()
                .map(a -> TaskPlan.of(a, ctx.identity().containerInstanceArn(), stopTimeout))
                .orElseGet(() -> TaskPlan.orphan(r.containers().stream().map(ContainerRecord::name).toList(), stopTimeout));
    }
}
