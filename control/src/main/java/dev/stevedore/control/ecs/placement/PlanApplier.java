package dev.stevedore.control.ecs.placement;

import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.instance.InstanceStatus;
import dev.stevedore.control.ecs.instance.TaskReservation;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.Failure;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.scheduler.FitCheck;
import dev.stevedore.scheduler.Placement;
import dev.stevedore.scheduler.PlacementFailure;
import dev.stevedore.scheduler.PlacementPlan;
import dev.stevedore.scheduler.Scheduler;
import dev.stevedore.scheduler.SchedulerException;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Txn;
import dev.stevedore.store.TxnResult;
import dev.stevedore.store.Watch;
import dev.stevedore.store.WatchEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The single writer of placements. RunTask and StartTask hand it jobs; one thread takes them in
 * batches, places each against its in-memory view of the cluster (so every job sees the ones
 * before it), and commits the whole batch in one store transaction, conditional on every instance
 * it changed still being at the revision it knows. Only then are the callers answered.
 *
 * <p>The view follows the store through a watch: agents' reports that tasks started or stopped
 * move instance counters and give resources back here. Those instance records are written with
 * the next batch of placements, or after {@link #INSTANCE_FLUSH_DELAY_NANOS} when none comes, so
 * that a stream of reports costs one instance write per flush rather than one per report. A lost compare-and-set (an instance re-registered, drained, tagged with an
 * attribute meanwhile) reloads the clusters involved and runs the batch again.
 */
public final class PlanApplier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlanApplier.class);
    private static final int MAX_BATCH = 512;
    private static final int MAX_ATTEMPTS = 16;
    /** How long instance changes from agents' reports may wait for a batch of placements to ride along with. */
    static final long INSTANCE_FLUSH_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final StateStore store;
    private final BiFunction<EcsScope, Task, TaskReservation> reservations;
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final Map<String, ClusterState> clusters = new HashMap<>();
    private final Thread writer;
    /** Revisions of this applier's own commits not yet seen back through the watch. */
    private final java.util.TreeSet<Long> ownRevisions = new java.util.TreeSet<>();
    private final Watch watch;
    private volatile boolean closed;
    /** When the view first held instance changes not yet written, or -1 when it holds none. */
    private long unwrittenSince = -1;

    /**
     * @param reservations what an existing task reserves (from its task definition), for views
     *                     loaded from the store
     */
    public PlanApplier(StateStore store, BiFunction<EcsScope, Task, TaskReservation> reservations) {
        this.store = store;
        this.reservations = reservations;
        this.watch = store.watch("/ecs/", store.currentRevision(), events -> inbox.addAll(events));
        this.writer = Thread.ofVirtual().name("stevedore-plan-applier").start(this::run);
    }

    /** Queues a job; the future completes once its tasks are durable, or with the job's error. */
    public CompletableFuture<PlacementOutcome> submit(PlacementJob job) {
        if (closed) {
            throw new IllegalStateException("plan applier is closed");
        }
        Pending pending = new Pending(job, new CompletableFuture<>());
        inbox.add(pending);
        return pending.result;
    }

    private record Pending(PlacementJob job, CompletableFuture<PlacementOutcome> result) {
    }

    private void run() {
        List<Object> batch = new ArrayList<>();
        while (!closed) {
            try {
                long wait = unwrittenSince < 0 ? TimeUnit.MILLISECONDS.toNanos(200)
                        : unwrittenSince + INSTANCE_FLUSH_DELAY_NANOS - System.nanoTime();
                Object first = inbox.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
                if (first != null) {
                    batch.add(first);
                    inbox.drainTo(batch, MAX_BATCH - 1);
                }
                process(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("plan applier batch failed", e);
                for (Object o : batch) {
                    if (o instanceof Pending p) {
                        p.result.completeExceptionally(e);
                    }
                }
                clusters.clear();  // start again from the store
            } finally {
                batch.clear();
            }
        }
    }

    private void process(List<Object> batch) {
        List<Pending> jobs = new ArrayList<>();
        for (Object o : batch) {
            if (o instanceof WatchEvent e) {
                observe(e);
            } else {
                jobs.add((Pending) o);
            }
        }
        if (jobs.isEmpty() && !flushDue()) {
            return;  // only reports so far: their instance changes wait for placements or the delay
        }
        for (int attempt = 1; ; attempt++) {
            Batch b = new Batch();
            for (Pending p : jobs) {
                place(p, b);
            }
            if (b.commit()) {
                unwrittenSince = -1;
                return;
            }
            if (attempt == MAX_ATTEMPTS) {
                throw new IllegalStateException("placement batch lost " + attempt + " compare-and-set races");
            }
            // Someone else changed what the batch relied on; reload those clusters and place again.
            b.touched.forEach(clusters::remove);
        }
    }

    /** Whether instance changes are waiting and have waited long enough; starts their clock if new. */
    private boolean flushDue() {
        boolean unwritten = clusters.values().stream().anyMatch(ClusterState::hasUnwrittenInstances);
        if (!unwritten) {
            unwrittenSince = -1;
            return false;
        }
        long now = System.nanoTime();
        if (unwrittenSince < 0) {
            unwrittenSince = now;
        }
        return now - unwrittenSince >= INSTANCE_FLUSH_DELAY_NANOS;
    }

    /** Folds a store change into the views it concerns; changes of unloaded clusters are ignored. */
    private void observe(WatchEvent e) {
        // Events arrive in revision order: own commits older than this event are all behind us.
        ownRevisions.headSet(e.revision()).clear();
        if (ownRevisions.contains(e.revision())) {
            return;  // our own batch coming back: the views already hold it
        }
        KeyPath path = KeyPath.parse(e.kv().key());
        if (path == null) {
            return;
        }
        ClusterState state = clusters.get(path.clusterKey());
        if (state == null || e.revision() <= state.loadedRevision || e.type() == WatchEvent.Type.DELETE) {
            return;
        }
        if (path.kind() == KeyPath.Kind.INSTANCE) {
            state.instanceChanged(Records.decode(e.kv().value(), ContainerInstance.class), e.kv().modRevision());
        } else {
            TaskStatusView t = Records.decode(e.kv().value(), TaskStatusView.class);
            state.taskChanged(t.taskArn(), t.lastStatus());
        }
    }

    private ClusterState state(EcsScope scope, String cluster) {
        return clusters.computeIfAbsent(KeyPath.clusterKey(scope, cluster),
                k -> ClusterState.load(store, scope, cluster, reservations));
    }

    private void place(Pending pending, Batch b) {
        PlacementJob job = pending.job();
        if (job.idempotencyKey().isPresent() && store.get(job.idempotencyKey().get()).isPresent()) {
            b.answer(pending, new PlacementOutcome.AlreadyDone());
            return;
        }
        ClusterState state = state(job.scope(), job.cluster());
        b.touched.add(KeyPath.clusterKey(job.scope(), job.cluster()));
        List<Task> tasks = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        try {
            if (job.namedInstances().isEmpty()) {
                if (!state.hasUsableInstances()) {
                    throw EcsErrors.invalidParameter("No Container Instances were found in your cluster.");
                }
                PlacementPlan plan = state.plan(job.placement());
                for (Placement p : plan.placements()) {
                    tasks.add(make(state, job, p.instanceArn(), true));
                }
                for (PlacementFailure f : plan.failures()) {
                    failures.add(Failure.builder().arn(f.arn()).reason(f.reason()).detail(f.detail()).build());
                }
            } else {
                placeOnNamed(state, job, tasks, failures);
            }
        } catch (SchedulerException e) {
            b.fail(pending, EcsErrors.invalidParameter(e.getMessage()));
            return;
        } catch (RuntimeException e) {
            b.fail(pending, e);
            return;
        }
        job.idempotencyKey().ifPresent(b.absent::add);
        job.finisher().finish(tasks, failures, b::put);
        for (Task t : tasks) {
            b.put(taskKey(t), t);
        }
        b.answer(pending, new PlacementOutcome.Placed(tasks, failures));
    }

    private void placeOnNamed(ClusterState state, PlacementJob job, List<Task> tasks, List<Failure> failures) {
        for (String arn : job.namedInstances()) {
            var cached = state.instance(arn);
            if (cached.isEmpty()) {
                failures.add(Failure.builder().arn(arn).reason("MISSING").build());
                continue;
            }
            ContainerInstance instance = cached.get().record;
            if (InstanceStatus.INACTIVE.equals(instance.status())) {
                failures.add(Failure.builder().arn(arn).reason("INACTIVE").build());
                continue;
            }
            FitCheck fit = Scheduler.fits(state.schedulerView(arn).orElseThrow(), job.placement().task());
            if (fit.failureReason().isPresent()) {
                failures.add(Failure.builder().arn(arn).reason(fit.failureReason().get()).build());
                continue;
            }
            tasks.add(make(state, job, arn, false));
        }
    }

    private static Task make(ClusterState state, PlacementJob job, String instanceArn, boolean counted) {
        Task task = job.taskMaker().make(state.instance(instanceArn).orElseThrow().record);
        state.placed(task.taskArn(), instanceArn, task.group(), job.reservation(), counted);
        return task;
    }

    private String taskKey(Task t) {
        KeyPath.TaskArn arn = KeyPath.TaskArn.parse(t.taskArn());
        return dev.stevedore.control.ecs.EcsKeys.task(arn.scope(), arn.cluster(), arn.id());
    }

    /** The writes and answers of one batch, committed together. */
    private final class Batch {
        final Map<String, Object> puts = new LinkedHashMap<>();
        final List<String> absent = new ArrayList<>();
        final java.util.Set<String> touched = new java.util.HashSet<>();
        final List<Runnable> answers = new ArrayList<>();

        void put(String key, Object record) {
            puts.put(key, record);
        }

        void answer(Pending p, PlacementOutcome outcome) {
            answers.add(() -> p.result.complete(outcome));
        }

        void fail(Pending p, Throwable error) {
            answers.add(() -> p.result.completeExceptionally(error));
        }

        boolean commit() {
            List<ClusterState> dirtyClusters = new ArrayList<>();
            Txn.Builder txn = Txn.builder();
            for (ClusterState state : clusters.values()) {
                List<ClusterState.CachedInstance> dirty = state.dirtyInstances();
                if (!dirty.isEmpty()) {
                    dirtyClusters.add(state);
                    touched.add(KeyPath.clusterKey(state.scope, state.cluster));
                }
                for (ClusterState.CachedInstance c : dirty) {
                    String key = KeyPath.instanceKey(state.scope, state.cluster, c.record.containerInstanceArn());
                    txn.requireModRevision(key, c.modRevision);
                    txn.put(key, Records.encode(c.record));
                }
            }
            absent.forEach(txn::requireAbsent);
            puts.forEach((key, record) -> txn.put(key, Records.encode(record)));
            Txn built = txn.build();
            if (!built.ops().isEmpty()) {
                TxnResult result = store.commit(built);
                if (!result.succeeded()) {
                    return false;
                }
                dirtyClusters.forEach(s -> s.committed(result.revision()));
                ownRevisions.add(result.revision());
            }
            answers.forEach(Runnable::run);
            return true;
        }
    }

    @Override
    public void close() {
        closed = true;
        watch.close();
        writer.interrupt();
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Object o;
        while ((o = inbox.poll()) != null) {
            if (o instanceof Pending p) {
                p.result.completeExceptionally(new IllegalStateException("plan applier closed"));
            }
        }
    }

    /** The fields of a stored task the applier needs; the rest of the JSON is skipped. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record TaskStatusView(String taskArn, String lastStatus) {
    }
}
