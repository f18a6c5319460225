package dev.stevedore.server.console;

import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.feed.FeedEvent;
import dev.stevedore.control.ecs.stats.TaskStats;
import dev.stevedore.control.ecs.stats.TaskStatsBook;
import dev.stevedore.server.EventStream;

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
    private record Watcher(String account, String region, String cluster, String statsOf, Semaphore wake,
                           AtomicBoolean changed, AtomicBoolean sampled) {
        boolean sees(FeedEvent e) {
            return e.key().scope().accountId().equals(account) && e.key().scope().region().equals(region)
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
    private final ClusterFeed.Subscription subscription;
    private final TaskStats.Subscription samples;

    LiveUpdates(ClusterFeed feed, TaskStats stats) {
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

    EventStream stream(String account, String region, String cluster, String statsOf) {
        return sink -> {
            Watcher watcher = new Watcher(account, region, cluster, statsOf, new Semaphore(0), new AtomicBoolean(),
                    new AtomicBoolean());
            watchers.add(watcher);
            // On the monotonic clock: the wall clock can step, and its milliseconds made the quiet time
            // come out a fraction of a millisecond short when measured with nanoTime.
            long statsDue = System.nanoTime();
            try {
                while (sink.open()) {
                    long wait = watcher.sampled().get() ? Math.max(0, statsDue - System.nanoTime())
                            : TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS);
                    boolean woken = watcher.wake().tryAcquire(wait, TimeUnit.NANOSECONDS);
                    watcher.wake().drainPermits();
                    if (watcher.changed().getAndSet(false)) {
                        // The page fetches itself whole, charts included.
                        watcher.sampled().set(false);
                        sink.send("change", cluster);
                        Thread.sleep(QUIET_MILLIS);
                    } else if (watcher.sampled().get() && System.nanoTime() - statsDue >= 0) {
                        watcher.sampled().set(false);
                        sink.send("stats", statsOf);
                        statsDue = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STATS_QUIET_MILLIS);
                    } else if (!woken && !watcher.sampled().get()) {
                        sink.keepAlive();
                    }
                }
            } finally {
                watchers.remove(watcher);
            }
        };
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
