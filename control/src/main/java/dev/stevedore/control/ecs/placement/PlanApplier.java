package dev.stevedore.control.ecs.placement;

import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.feed.EcsKey;
import dev.stevedore.control.ecs.feed.FeedEvent;
import dev.stevedore.control.ecs.feed.StoreScan;
import dev.stevedore.control.ecs.feed.TaskSummary;
import dev.stevedore.control.ecs.instance.TaskReservation;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.Failure;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.scheduler.SchedulerException;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.TxnResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
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
 * it changed still being at the version it knows. Callers are answered once their batch is durable.
 *
 * <p>Batches are pipelined: the next one is placed and queued while earlier ones are still being
 * written, so placing and writing overlap. That works because the applier predicts the store
 * versions its own writes will give each instance, and because every batch also writes one
 * sequence key whose version the next batch requires: if a batch loses its compare-and-set, every
 * batch queued after it fails too. Then, once nothing is in flight, the views are dropped and the
 * jobs of the failed batches are placed again against the store as it is.
 *
 * <p>The view follows the store through the cluster feed: agents' reports that tasks started or
 * stopped move instance counters and give resources back here. Those instance records are written
 * with the next batch of placements, or after {@link #INSTANCE_FLUSH_DELAY_NANOS} when none comes,
 * so that a stream of reports costs one instance write per flush rather than one per report. A
 * cluster's view is read from the store when the applier starts, if the cluster has instances then,
 * else at its first instance change (a registration, an agent connecting) or its first job, whichever
 * comes first, and followed from then on.
 *
 * <p>The applier subscribes to the feed before any controller does, and the feed calls its
 * listeners in that order, so a change is in this inbox before a controller that reacts to it can
 * queue a job: a job is never placed against a view older than what its caller decided on (an
 * agent that just connected, a task that just stopped).
 */
public final class PlanApplier implements AutoCloseable, PlacementQueue {
    private static final Logger LOG = LoggerFactory.getLogger(PlanApplier.class);
    private static final int MAX_BATCH = 512;
    /**
     * Tasks asked for by one batch's jobs, at most (a job is never split). A burst of service passes
     * (hundreds of jobs of ten tasks) would otherwise make one batch of thousands: nothing lands
     * until all of it is placed and encoded, and the store sits idle meanwhile; smaller batches let
     * the store commit one while the next is placed.
     */
    private static final int MAX_BATCH_TASKS = 512;
    private static final int MAX_ATTEMPTS = 16;
    /** Batches written at once; more adds memory and wasted work after a lost compare-and-set, not speed. */
    private static final int MAX_IN_FLIGHT = 4;
    /** The longest an API request waits for the feed to catch up with what it read before placing. */
    private static final java.time.Duration FEED_CATCH_UP = java.time.Duration.ofSeconds(2);
    /** How long instance changes from agents' reports may wait for a batch of placements to ride along with. */
    static final long INSTANCE_FLUSH_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Written by every batch; its version chains each batch to the one before. Outside the watched prefix. */
    static final String SEQUENCE_KEY = "/placement/applier-batches";

    private final StateStore store;
    private final ClusterFeed feed;
    private final BiFunction<EcsScope, Task, TaskReservation> reservations;
    private final PlacementObserver observer;
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final Map<String, ClusterState> clusters = new HashMap<>();
    private final Thread writer;
    private final ClusterFeed.Subscription subscription;
    /** Jobs taken from the inbox and not yet in a batch, oldest first. */
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    /** Batches queued to the store and not yet seen completing, oldest first. */
    private final ArrayDeque<PlacementBatch> inFlight = new ArrayDeque<>();
    /**
     * Idempotency keys of jobs placed but not yet landed, with the jobs that carry the same key and
     * wait for the first: once it lands they are answered from its record, so one clientToken runs
     * its tasks once however many calls race.
     */
    private final Map<String, List<Pending>> keysInFlight = new HashMap<>();
    /** Jobs of batches that failed, to place again once nothing is in flight. */
    private final List<Pending> toRetry = new ArrayList<>();
    /** The subnets' addresses: claimed, given to tasks, given back. */
    private final AddressBook addresses;
    /** A batch failed or the views went stale: place nothing until the batches in flight are done. */
    private boolean reloading;
    /** The version {@link #SEQUENCE_KEY} will have once every batch in flight lands. */
    private long sequenceVersion;
    /** When the views first held instance changes not yet written, or -1 when they hold none. */
    private long unwrittenSince = -1;
    private volatile boolean closed;
    private final PlacementExplanations explanations;
    private final JobPlacer placer;

    /**
     * @param reservations what an existing task reserves (from its task definition), for views
     *                     loaded from the store
     */
    public PlanApplier(StateStore store, ClusterFeed feed, BiFunction<EcsScope, Task, TaskReservation> reservations) {
        this(store, feed, reservations, PlacementObserver.NONE);
    }

    /** As {@link #PlanApplier(StateStore, ClusterFeed, BiFunction)}, telling {@code observer} of its work. */
    public PlanApplier(StateStore store, ClusterFeed feed, BiFunction<EcsScope, Task, TaskReservation> reservations,
                       PlacementObserver observer) {
        this(store, feed, reservations, observer, new PlacementExplanations(java.time.Clock.systemUTC()));
    }

    /** As above, keeping each task group's last failed placement in {@code explanations}. */
    public PlanApplier(StateStore store, ClusterFeed feed, BiFunction<EcsScope, Task, TaskReservation> reservations,
                       PlacementObserver observer, PlacementExplanations explanations) {
        this.observer = observer;
        this.explanations = explanations;
        this.store = store;
        this.feed = feed;
        this.reservations = reservations;
        this.addresses = new AddressBook(store);
        this.placer = new JobPlacer(addresses);
        this.sequenceVersion = storedSequenceVersion();
        this.subscription = feed.subscribeAll(events -> inbox.addAll(events));
        this.writer = Thread.ofPlatform().daemon().name("stevedore-plan-applier").start(this::run);
    }

    /**
     * Queues a job from a caller outside the feed (an API request) once the feed has handed this
     * applier every change committed before the call: the job is then placed against a view that
     * holds everything the caller could have read, such as the instance it just saw connect. A
     * controller, which reacts to the feed itself, has that order already and calls
     * {@link #submit}.
     */
    @Override
    public CompletableFuture<PlacementOutcome> submitAfterCatchingUp(PlacementJob job) {
        long committed = store.currentRevision();
        if (!feed.awaitDelivered(committed, FEED_CATCH_UP)) {
            LOG.warn("the cluster feed is more than {} behind revision {}; placing against the view as it is",
                    FEED_CATCH_UP, committed);
        }
        return submit(job);
    }

    /** Queues a job; the future completes once its tasks are durable, or with the job's error. */
    public CompletableFuture<PlacementOutcome> submit(PlacementJob job) {
        if (closed) {
            throw new IllegalStateException("plan applier is closed");
        }
        Pending pending = new Pending(job, new CompletableFuture<>(), System.nanoTime());
        inbox.add(pending);
        return pending.result;
    }

    /** A job and how its caller is answered; {@code attempts} counts lost compare-and-sets. */
    static final class Pending {
        final PlacementJob job;
        final CompletableFuture<PlacementOutcome> result;
        /** When it was submitted; the queue wait is told once, when it is first taken. */
        final long submittedAt;
        boolean taken;
        int attempts;

        Pending(PlacementJob job, CompletableFuture<PlacementOutcome> result, long submittedAt) {
            this.job = job;
            this.result = result;
            this.submittedAt = submittedAt;
        }
    }

    /** A batch's outcome from the store, handed to the applier's thread. */
    private record Completed(PlacementBatch batch, TxnResult result, Throwable error) {
    }

    private void run() {
        List<Object> drained = new ArrayList<>();
        try {
            followEveryClusterWithInstances();
        } catch (RuntimeException e) {
            LOG.error("plan applier could not read the clusters' views at start; they are read on first use", e);
        }
        while (!closed) {
            try {
                long wait = unwrittenSince < 0 ? TimeUnit.MILLISECONDS.toNanos(200)
                        : unwrittenSince + INSTANCE_FLUSH_DELAY_NANOS - System.nanoTime();
                Object first = inbox.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
                if (first != null) {
                    drained.add(first);
                    inbox.drainTo(drained);
                }
                for (Object o : drained) {
                    switch (o) {
                        case FeedEvent e -> observe(e);
                        case Completed c -> completed(c);
                        case Pending p -> waiting.add(p);
                        default -> throw new IllegalStateException("unexpected " + o);
                    }
                }
                drained.clear();
                dispatch();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("plan applier failed; answering its jobs with the error and reloading", e);
                failQueued(e);
                drained.clear();
                reloading = true;
            }
        }
    }

    /** Places and queues batches while the pipeline has room, or reloads once it has drained. */
    private void dispatch() {
        if (reloading) {
            if (!inFlight.isEmpty()) {
                return;
            }
            // Nothing of ours is in flight: the store now holds everything the views should.
            clusters.clear();
            addresses.forgetViews();
            sequenceVersion = storedSequenceVersion();
            for (int i = toRetry.size() - 1; i >= 0; i--) {
                waiting.addFirst(toRetry.get(i));
            }
            toRetry.clear();
            reloading = false;
        }
        while (inFlight.size() < MAX_IN_FLIGHT && (!waiting.isEmpty() || flushDue())) {
            PlacementBatch batch = new PlacementBatch(observer);
            int tasksAsked = 0;
            while (!waiting.isEmpty() && batch.jobs.size() < MAX_BATCH && tasksAsked < MAX_BATCH_TASKS) {
                Pending next = waiting.poll();
                if (!next.taken) {
                    next.taken = true;
                    observer.jobTaken(System.nanoTime() - next.submittedAt);
                }
                tasksAsked += next.job.tasksAsked();
                place(next, batch);
            }
            if (!batch.jobs.isEmpty()) {
                observer.batchPlaced(batch.jobs.size(), tasksAsked);
            }
            try {
                submit(batch);
            } catch (RuntimeException e) {
                // The views hold placements that were never queued: answer with the error, start again.
                LOG.error("plan applier could not queue a batch", e);
                batch.jobs.forEach(p -> p.result.completeExceptionally(e));
                reloading = true;
                releaseKeys(batch);
                return;
            }
            unwrittenSince = -1;
        }
    }

    private void submit(PlacementBatch batch) {
        addresses.releaseWith(batch);
        for (ClusterState state : clusters.values()) {
            for (ClusterState.InstanceWrite w : state.takeUnwritten()) {
                batch.writeInstance(KeyPath.instanceKey(state.scope, state.cluster, w.instanceArn()),
                        w.expectedVersion(), w.record());
            }
        }
        if (!batch.hasWrites()) {
            batch.answerAll();  // only refusals: nothing to make durable
            return;
        }
        batch.chain(SEQUENCE_KEY, sequenceVersion++);
        inFlight.add(batch);
        store.commitAsync(batch.txn()).whenComplete((result, error) -> {
            if (error == null && result.succeeded()) {
                batch.answerAll();  // durable: the callers need not wait for the applier's thread
            }
            inbox.add(new Completed(batch, result, error));
        });
    }

    private void completed(Completed c) {
        PlacementBatch batch = inFlight.poll();
        if (batch != c.batch()) {
            throw new IllegalStateException("store completed batches out of order");
        }
        releaseKeys(batch);
        if (c.error() == null && c.result().succeeded()) {
            addresses.landed(batch);
        } else {
            addresses.notLanded(batch);
        }
        if (c.error() != null) {
            // The store failed: the outcome is unknown, so the callers get the error, not a retry.
            batch.jobs.forEach(p -> p.result.completeExceptionally(c.error()));
            reloading = true;
        } else if (!c.result().succeeded()) {
            reloading = true;
            for (Pending p : batch.jobs) {
                if (++p.attempts >= MAX_ATTEMPTS) {
                    p.result.completeExceptionally(new IllegalStateException(
                            "placement lost " + p.attempts + " compare-and-set races"));
                } else {
                    toRetry.add(p);
                }
            }
        }
    }

    /**
     * The batch's idempotency keys have landed (or not): the jobs that waited on them are placed
     * again, after the jobs queued before them, and find the key's record or take it over.
     */
    private void releaseKeys(PlacementBatch batch) {
        List<Pending> released = new ArrayList<>();
        for (String key : batch.absentKeys()) {
            List<Pending> waiters = keysInFlight.remove(key);
            if (waiters != null) {
                released.addAll(waiters);
            }
        }
        if (reloading) {
            toRetry.addAll(released);
        } else {
            waiting.addAll(released);
        }
    }

    /** Whether instance changes are waiting and have waited long enough; starts their clock if new. */
    private boolean flushDue() {
        boolean unwritten = addresses.hasReleases()
                || clusters.values().stream().anyMatch(ClusterState::hasUnwrittenInstances);
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

    /** Folds a store change into the views it concerns. */
    private void observe(FeedEvent e) {
        switch (e.key().kind()) {
            case INSTANCE -> observeInstance(e);
            case TASK -> observeTask(e);
            default -> {
                // Nothing else changes what instances hold.
            }
        }
    }

    /** An instance change; one of an unfollowed cluster loads its view. */
    private void observeInstance(FeedEvent e) {
        EcsKey key = e.key();
        ClusterState state = clusters.get(KeyPath.clusterKey(key.scope(), key.cluster()));
        if (state == null && !e.deleted() && !reloading) {
            // A cluster with instances is followed from its first instance change on, so that its
            // first placement does not pay for reading every instance (10,000 take about a second).
            // The view is read after the change was committed, so it holds the change already.
            state(key.scope(), key.cluster());
            return;
        }
        if (state == null || e.revision() <= state.loadedRevision) {
            return;
        }
        if (e.deleted()) {
            reloading = true;  // a re-created key starts its versions again; start from the store
            return;
        }
        KeyValue kv = e.kv();
        if (state.isNewer(Arns.containerInstance(key.scope(), key.cluster(), key.id()), kv.version())) {
            state.instanceChanged(Records.decode(kv.value(), ContainerInstance.class), kv.version());
        }
    }

    /**
     * A task change, counted in the view of the cluster its instance is in: a Fargate task's instance
     * is in the platform pool, not in the task's own cluster. Version 1 is a task's creation, which
     * only this applier does: the view has it already.
     */
    private void observeTask(FeedEvent e) {
        if (e.deleted() || e.kv().version() <= 1) {
            return;
        }
        TaskSummary t = e.task().orElseThrow();
        String viewCluster = t.instanceArn().map(KeyPath::instanceCluster).orElse(e.key().cluster());
        ClusterState state = clusters.get(KeyPath.clusterKey(e.key().scope(), viewCluster));
        if (state != null && e.revision() > state.loadedRevision) {
            state.taskChanged(t.taskArn(), t.lastStatus()).ifPresent(addresses::release);
        }
    }

    /**
     * Reads the view of every cluster that has instances, before the first job. An agent's report
     * that a task stopped is committed at once, but the instance record it frees resources on is
     * written up to {@link #INSTANCE_FLUSH_DELAY_NANOS} later; a server killed in between would
     * otherwise show the old remaining resources until the cluster's next placement or instance
     * change. A view read here derives every instance from its tasks and writes what differs with
     * the first flush.
     */
    private void followEveryClusterWithInstances() {
        for (StoreScan.ScopedCluster c : StoreScan.clustersWithInstances(store)) {
            state(c.scope(), c.cluster());
        }
    }

    /**
     * Reads the view of every cluster with instances as an applier does at start, and drops them;
     * returns how many. For a replica that may take over later (see {@code EcsApi.prepareToLead}).
     */
    public static int readViews(StateStore store, BiFunction<EcsScope, Task, TaskReservation> reservations) {
        int read = 0;
        for (StoreScan.ScopedCluster c : StoreScan.clustersWithInstances(store)) {
            ClusterState.load(store, c.scope(), c.cluster(), reservations);
            read++;
        }
        return read;
    }

    private ClusterState state(EcsScope scope, String cluster) {
        return clusters.computeIfAbsent(KeyPath.clusterKey(scope, cluster),
                k -> ClusterState.load(store, scope, cluster, reservations));
    }

    private long storedSequenceVersion() {
        return store.get(SEQUENCE_KEY).map(KeyValue::version).orElse(0L);
    }

    private void place(Pending pending, PlacementBatch b) {
        PlacementJob job = pending.job;
        if (job.idempotencyKey().isPresent() && keysInFlight.containsKey(job.idempotencyKey().get())) {
            keysInFlight.get(job.idempotencyKey().get()).add(pending);  // placed again once the first lands
            return;
        }
        b.jobs.add(pending);
        if (job.idempotencyKey().isPresent() && store.get(job.idempotencyKey().get()).isPresent()) {
            b.answer(pending, new PlacementOutcome.AlreadyDone());
            return;
        }
        ClusterState state = state(job.scope(), job.placementCluster());
        JobPlacer.Placed placed;
        try {
            placed = placer.place(state, job, b);
        } catch (SchedulerException e) {
            b.fail(pending, EcsErrors.invalidParameter(e.getMessage()));
            return;
        } catch (RuntimeException e) {
            b.fail(pending, e);
            return;
        }
        List<Task> tasks = placed.tasks();
        List<Failure> failures = placed.failures();
        job.idempotencyKey().ifPresent(key -> {
            b.requireAbsent(key);
            keysInFlight.put(key, new ArrayList<>());
        });
        explanations.record(job, tasks.size(), failures);
        job.finisher().finish(tasks, failures, b::put);
        for (Task t : tasks) {
            b.put(taskKey(t), t);
        }
        b.answer(pending, new PlacementOutcome.Placed(tasks, failures));
    }

    private String taskKey(Task t) {
        KeyPath.TaskArn arn = KeyPath.TaskArn.parse(t.taskArn());
        return EcsKeys.task(arn.scope(), arn.cluster(), arn.id());
    }

    @Override
    public void close() {
        closed = true;
        subscription.close();
        writer.interrupt();
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IllegalStateException shut = new IllegalStateException("plan applier closed");
        Object o;
        while ((o = inbox.poll()) != null) {
            if (o instanceof Pending p) {
                waiting.add(p);
            }
        }
        failQueued(shut);
        // A batch still being written answers its callers itself if it lands; otherwise this does.
        inFlight.forEach(b -> b.jobs.forEach(p -> p.result.completeExceptionally(shut)));
    }

    /** Answers every job not in a batch in flight (waiting, to retry, or behind a clientToken) with {@code error}. */
    private void failQueued(Throwable error) {
        waiting.forEach(p -> p.result.completeExceptionally(error));
        waiting.clear();
        toRetry.forEach(p -> p.result.completeExceptionally(error));
        toRetry.clear();
        keysInFlight.values().forEach(ps -> ps.forEach(p -> p.result.completeExceptionally(error)));
        keysInFlight.clear();
    }
}
