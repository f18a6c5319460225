package dev.stevedore.server.console;

import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.feed.FeedEvent;
import dev.stevedore.control.ecs.stats.TaskStats;
import dev.stevedore.control.ecs.stats.TaskStatsBook;
import dev.stevedore.server.EventStream;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Watch;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The console's live updates: one subscription to the cluster feed (the store's watch) for every open
 * page, and per page an event stream that says {@code change} when a record of its cluster changed
 * (any cluster for the cluster list). The page then asks for its content again; it never polls. A
 * burst of changes becomes at most one event per {@link #QUIET_MILLIS}.
 *
 * <p>A page with charts also names what they show (a task, or a service's group) and hears
 * {@code stats} when a sample of it arrived (one subscription to {@link TaskStats}): at most one
 * per {@link #STATS_QUIET_MILLIS}, since a service's tasks report one by one from many agents, and
 * never holding back a {@code change}.
 *
 * <p>Task definitions are no cluster's records, so the feed does not carry them: a task definition
 * page's stream has a store watch of its own on its account and Region's task definitions, for as
 * long as the page is open.
 */
final class LiveUpdates implements AutoCloseable {
    static final long QUIET_MILLIS = 100;
    static final long STATS_QUIET_MILLIS = 2000;
    static final long KEEP_ALIVE_SECONDS = 15;

    /**
     * One open page: what it shows, flags for what changed, and a permit to wake its stream.
     *
     * @param statsOf {@code task/ID} or a task group ({@code service:NAME}) whose samples the page
     *                charts; empty for a page without charts
     */
    private record Watcher(String account, String region, String cluster, String statsOf, boolean ofFeed,
                           Semaphore wake, AtomicBoolean changed, AtomicBoolean sampled) {
        boolean sees(FeedEvent e) {
            return ofFeed && e.key().scope().accountId().equals(account) && e.key().scope().region().equals(region)
                    && (cluster.isEmpty() || e.key().cluster().equals(cluster));
        }

        boolean charts(TaskStatsBook.GroupRef group, String taskArn) {
            return !statsOf.isEmpty() && group.cluster().scope().accountId().equals(account)
                    && group.cluster().scope().region().equals(region) && group.cluster().name().equals(cluster)
                    && (statsOf.equals(group.group()) || statsOf.equals("task/" + Html.lastPart(taskArn)));
        }

        void flag(AtomicBoolean what) {
            what.set(true);
            if (wake.availablePermits() == 0) {
                wake.release();
            }
        }
    }

    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    private final StateStore store;
    private final ClusterFeed.Subscription subscription;
    private final TaskStats.Subscription samples;

    LiveUpdates(StateStore store, ClusterFeed feed, TaskStats stats) {
        this.store = store;
        this.subscription = feed.subscribeAll(this::onEvents);
        this.samples = stats.subscribe(this::onSample);
    }

    // On the feed's thread: only flags are set here, nothing waits.
    private void onEvents(List<FeedEvent> events) {
        for (Watcher w : watchers) {
            for (FeedEvent e : events) {
                if (w.sees(e)) {
                    w.flag(w.changed());
                    break;
                }
            }
        }
    }

    // On an agent session's thread: the same.
    private void onSample(TaskStatsBook.GroupRef group, String taskArn) {
        for (Watcher w : watchers) {
            if (w.charts(group, taskArn)) {
                w.flag(w.sampled());
            }
        }
    }

    /** A cluster's page (or the cluster list's, {@code cluster} empty), told by the cluster feed. */
    EventStream stream(String account, String region, String cluster, String statsOf) {
        return sink -> {
            Watcher watcher = new Watcher(account, region, cluster, statsOf, true, new Semaphore(0),
                    new AtomicBoolean(), new AtomicBoolean());
            watchers.add(watcher);
            try {
                follow(watcher, sink);
            } finally {
                watchers.remove(watcher);
            }
        };
    }

    /**
     * A task definition page: told when any task definition (or family counter) of {@code keyPrefix},
     * the account and Region's task definitions in the store, changed.
     */
    EventStream taskDefinitionStream(String account, String region, String keyPrefix) {
        return sink -> {
            Watcher watcher = new Watcher(account, region, "", "", false, new Semaphore(0), new AtomicBoolean(),
                    new AtomicBoolean());
            try (Watch watch = store.watch(keyPrefix, store.currentRevision(), events -> watcher.flag(watcher.changed()))) {
                watchers.add(watcher); // counted only (its ofFeed is false): the feed's events pass it by
                follow(watcher, sink);
            } finally {
                watchers.remove(watcher);
            }
        };
    }

    /** Says {@code change} (and {@code stats}) on {@code sink} as the watcher is flagged, until the page goes. */
    private static void follow(Watcher watcher, EventStream.Sink sink) throws InterruptedException {
        // On the monotonic clock: the wall clock can step, and its milliseconds made the quiet time
        // come out a fraction of a millisecond short when measured with nanoTime.
        long statsDue = System.nanoTime();
        while (sink.open()) {
            long wait = watcher.sampled().get() ? Math.max(0, statsDue - System.nanoTime())
                    : TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS);
            boolean woken = watcher.wake().tryAcquire(wait, TimeUnit.NANOSECONDS);
            watcher.wake().drainPermits();
            if (watcher.changed().getAndSet(false)) {
                // The page fetches itself whole, charts included.
                watcher.sampled().set(false);
                sink.send("change", watcher.cluster());
                Thread.sleep(QUIET_MILLIS);
            } else if (watcher.sampled().get() && System.nanoTime() - statsDue >= 0) {
                watcher.sampled().set(false);
                sink.send("stats", watcher.statsOf());
                statsDue = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STATS_QUIET_MILLIS);
            } else if (!woken && !watcher.sampled().get()) {
                sink.keepAlive();
            }
        }
    }

    /** Open streams (for tests). */
    int watching() {
        return watchers.size();
    }

    @Override
    public void close() {
        subscription.close();
        samples.close();
    }
}
