package dev.stevedore.control.ecs.feed;

import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Watch;
import dev.stevedore.store.WatchEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one watch over every cluster's records, and the indexed dispatch of its changes: controllers
 * subscribe to everything and route by cluster and service themselves; an agent session subscribes
 * to one container instance and receives only the changes of tasks placed on it (or that were),
 * found through an index from task to instance instead of by reading every task of the cluster.
 *
 * <p>Each change is parsed and, for a task, decoded into a {@link TaskSummary} once, whatever the
 * number of listeners. Listeners run on the feed's thread, in revision order, and must only queue.
 *
 * <p>The index is built at start from a scan of the tasks of every scope, then kept by the watch,
 * which starts at the revision before the scan: a change seen both ways is applied once, because
 * only a newer modification revision than the one recorded counts.
 */
public final class ClusterFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterFeed.class);
    private static final String ROOT = "/ecs/";
    private static final int SCAN_CHUNK = 1_000;

    /** Where the feed last saw a task, the revision it saw it at, and which count it is in. */
    private record Placement(String instanceArn, long modRevision, StatusCount count) {
    }

    /** A cluster's tasks of one last status: how many there are now. */
    public record StatusCount(ClusterRef cluster, String lastStatus) {
    }

    private final StateStore store;
    /** Guards the index, the instance subscriptions and dispatch, so a subscription sees every change after it. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Placement> taskPlacements = new HashMap<>();
    private final Map<String, Set<String>> tasksByInstance = new HashMap<>();
    /** One copy of each instance ARN ever indexed; they repeat across thousands of tasks. */
    private final Map<String, String> instanceArns = new HashMap<>();
    private final Map<String, List<FeedListener>> instanceListeners = new HashMap<>();
    /** Tasks by cluster and last status, kept with the index so that counting never reads the store. */
    private final Map<StatusCount, Integer> statusCounts = new HashMap<>();
    private final List<FeedListener> clusterListeners = new CopyOnWriteArrayList<>();
    /** The revision the index is complete to: where the watch began, then the last change dispatched. */
    private long revision;
    private Watch watch;

    private ClusterFeed(StateStore store) {
        this.store = store;
    }

    /** Scans the tasks of every scope, then follows the store; returns once the index is complete. */
    public static ClusterFeed start(StateStore store) {
        ClusterFeed feed = new ClusterFeed(store);
        long from = store.currentRevision();
        feed.lock.lock();
        try {
            feed.scanTasks();
            feed.revision = Math.max(feed.revision, from);
        } finally {
            feed.lock.unlock();
        }
        feed.watch = store.watch(ROOT, from, feed::onWatchEvents);
        return feed;
    }

    /** A subscription; closing it stops delivery to its listener. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * What an instance subscriber starts from: the store keys of the tasks on the instance as of
     * {@code revision}; every change after that revision is delivered to the listener.
     */
    public interface InstanceSubscription extends Subscription {
        long revision();

        List<String> taskKeys();
    }

    /**
     * Waits until every change committed at or before {@code revision} has been handed to the
     * listeners, or {@code timeout} has passed; whether it was. A request that read the store at
     * some revision waits for this before queueing work for a listener, so that the listener has
     * seen what the request saw (the instance the caller just watched connect). Usually a few
     * microseconds: the feed trails the store by one dispatch.
     */
    public boolean awaitDelivered(long revision, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 1_000;
        while (watch.deliveredThrough() < revision) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 1_000_000);
        }
        return true;
    }

    /** Delivers every change of every cluster record to {@code listener} from now on. */
    public Subscription subscribeAll(FeedListener listener) {
        clusterListeners.add(listener);
        return () -> clusterListeners.remove(listener);
    }

    /**
     * Delivers the changes of tasks placed on {@code instanceArn}, or that were, from now on, and
     * says which tasks are there now.
     */
    public InstanceSubscription subscribeInstance(String instanceArn, FeedListener listener) {
        lock.lock();
        try {
            instanceListeners.computeIfAbsent(instanceArn, k -> new CopyOnWriteArrayList<>()).add(listener);
            List<String> keys = List.copyOf(tasksByInstance.getOrDefault(instanceArn, Set.of()));
            long at = revision;
            return new InstanceSubscription() {
                @Override
                public long revision() {
                    return at;
                }

                @Override
                public List<String> taskKeys() {
                    return keys;
                }

                @Override
                public void close() {
                    lock.lock();
                    try {
                        List<FeedListener> ls = instanceListeners.get(instanceArn);
                        if (ls != null) {
                            ls.remove(listener);
                            if (ls.isEmpty()) {
                                instanceListeners.remove(instanceArn);
                            }
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            };
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many tasks each cluster has in each last status, as of the last change dispatched (metrics):
     * kept by the index, so this costs a copy of the counts, not a read of the store. Statuses with no
     * task are left out.
     */
    public Map<StatusCount, Integer> taskCountsByStatus() {
        lock.lock();
        try {
            return Map.copyOf(statusCounts);
        } finally {
            lock.unlock();
        }
    }

    /** How many store revisions the listeners are behind the store (0 when they have every change). */
    public long lagRevisions() {
        return Math.max(0, store.currentRevision() - watch.deliveredThrough());
    }

    /** The number of tasks the index knows on an instance (for tests and diagnostics). */
    public int taskCount(String instanceArn) {
        lock.lock();
        try {
            return tasksByInstance.getOrDefault(instanceArn, Set.of()).size();
        } finally {
            lock.unlock();
        }
    }

    private void onWatchEvents(List<WatchEvent> events) {
        List<FeedEvent> all = new ArrayList<>(events.size());
        lock.lock();
        try {
            Map<String, List<FeedEvent>> perInstance = new HashMap<>();
            for (WatchEvent e : events) {
                Optional<EcsKey> key = EcsKey.parse(e.kv().key());
                revision = Math.max(revision, e.revision());
                if (key.isEmpty()) {
                    continue;
                }
                FeedEvent event;
                try {
                    event = toFeedEvent(key.get(), e);
                } catch (RuntimeException bad) {
                    LOG.error("cannot read the record at {}; it is skipped", e.kv().key(), bad);
                    continue;
                }
                all.add(event);
                if (key.get().kind() == EcsKey.Kind.TASK) {
                    route(event, perInstance);
                }
            }
            perInstance.forEach((instance, list) -> {
                for (FeedListener l : instanceListeners.getOrDefault(instance, List.of())) {
                    deliver(l, list);
                }
            });
        } finally {
            lock.unlock();
        }
        if (!all.isEmpty()) {
            for (FeedListener l : clusterListeners) {
                deliver(l, all);
            }
        }
    }

    private static void deliver(FeedListener listener, List<FeedEvent> events) {
        try {
            listener.onEvents(events);
        } catch (RuntimeException e) {
            LOG.error("a feed listener failed; it keeps receiving later changes", e);
        }
    }

    /** Builds the event and keeps the task index; call under the lock. */
    private FeedEvent toFeedEvent(EcsKey key, WatchEvent e) {
        boolean deleted = e.type() == WatchEvent.Type.DELETE;
        if (key.kind() == EcsKey.Kind.INSTANCE && !deleted) {
            return new FeedEvent(key, false, e.kv(), e.revision(), Optional.empty(), Optional.empty(),
                    Optional.of(InstanceSummary.decode(e.kv().value())));
        }
        if (key.kind() != EcsKey.Kind.TASK) {
            return new FeedEvent(key, deleted, e.kv(), e.revision(), Optional.empty(), Optional.empty());
        }
        String storeKey = e.kv().key();
        Placement before = taskPlacements.get(storeKey);
        Optional<String> previous = Optional.ofNullable(before).map(Placement::instanceArn);
        if (deleted) {
            if (before != null && before.modRevision() < e.revision()) {
                unindex(storeKey, before);
            }
            return new FeedEvent(key, true, e.kv(), e.revision(), Optional.empty(), previous);
        }
        TaskSummary task = TaskSummary.decode(e.kv().value());
        if (before == null || before.modRevision() < e.revision()) {
            index(storeKey, key, task, e.revision(), before);
        }
        return new FeedEvent(key, false, e.kv(), e.revision(), Optional.of(task), previous);
    }

    /** Adds the event to the lists of the instance the task is on and the one it was on. */
    private static void route(FeedEvent event, Map<String, List<FeedEvent>> perInstance) {
        Set<String> instances = new LinkedHashSet<>(2);
        event.task().flatMap(TaskSummary::instanceArn).ifPresent(instances::add);
        event.previousInstance().ifPresent(instances::add);
        for (String i : instances) {
            perInstance.computeIfAbsent(i, k -> new ArrayList<>()).add(event);
        }
    }

    private void index(String storeKey, EcsKey key, TaskSummary task, long modRevision, Placement before) {
        if (before != null) {
            unindex(storeKey, before);
        }
        String instanceArn = task.containerInstanceArn();
        String canonical = instanceArn == null ? null : instanceArns.computeIfAbsent(instanceArn, k -> k);
        StatusCount count = new StatusCount(new ClusterRef(key.scope(), key.cluster()),
                task.lastStatus() == null ? "UNKNOWN" : task.lastStatus());
        statusCounts.merge(count, 1, Integer::sum);
        taskPlacements.put(storeKey, new Placement(canonical, modRevision, count));
        if (canonical != null) {
            tasksByInstance.computeIfAbsent(canonical, k -> new LinkedHashSet<>()).add(storeKey);
        }
    }

    private void unindex(String storeKey, Placement placement) {
        taskPlacements.remove(storeKey);
        statusCounts.computeIfPresent(placement.count(), (k, n) -> n == 1 ? null : n - 1);
        if (placement.instanceArn() != null) {
            Set<String> keys = tasksByInstance.get(placement.instanceArn());
            if (keys != null) {
                keys.remove(storeKey);
                if (keys.isEmpty()) {
                    tasksByInstance.remove(placement.instanceArn());
                }
            }
        }
    }

    /**
     * Reads the tasks of every scope a chunk at a time, jumping from one scope to the next without
     * reading the records between (task definitions, tags).
     */
    private void scanTasks() {
        for (dev.stevedore.control.ecs.EcsScope scope : StoreScan.scopes(store)) {
            scanPrefix(scope.keyPrefix() + EcsKey.Kind.TASK.segment() + "/");
        }
    }

    private void scanPrefix(String prefix) {
        String after = "";
        while (true) {
            List<KeyValue> chunk = store.range(prefix, after, SCAN_CHUNK);
            for (KeyValue kv : chunk) {
                Optional<EcsKey> key = EcsKey.parse(kv.key());
                if (key.isEmpty()) {
                    continue;
                }
                Placement before = taskPlacements.get(kv.key());
                if (before == null || before.modRevision() < kv.modRevision()) {
                    index(kv.key(), key.get(), TaskSummary.decode(kv.value()), kv.modRevision(), before);
                }
            }
            if (chunk.size() < SCAN_CHUNK) {
                return;
            }
            after = chunk.getLast().key();
        }
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
    }
}
