package dev.stevedore.server.console;

import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.feed.FeedEvent;
import dev.stevedore.server.EventStream;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The console's live updates: one subscription to the cluster feed (the store's watch) for every open
 * page, and per page an event stream that says {@code change} when a record of its cluster changed
 * (any cluster for the cluster list). The page then asks for its content again; it never polls. A
 * burst of changes becomes at most one event per {@link #QUIET_MILLIS}.
 */
final class LiveUpdates implements AutoCloseable {
    static final long QUIET_MILLIS = 100;
    static final long KEEP_ALIVE_SECONDS = 15;

    /** One open page: what it shows, and a permit when something it shows changed. */
    private record Watcher(String account, String region, String cluster, Semaphore changed) {
        boolean sees(FeedEvent e) {
            return e.key().scope().accountId().equals(account) && e.key().scope().region().equals(region)
                    && (cluster.isEmpty() || e.key().cluster().equals(cluster));
        }
    }

    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    private final ClusterFeed.Subscription subscription;

    LiveUpdates(ClusterFeed feed) {
        this.subscription = feed.subscribeAll(this::onEvents);
    }

    // On the feed's thread: only flags are set here, nothing waits.
    private void onEvents(List<FeedEvent> events) {
        for (Watcher w : watchers) {
            for (FeedEvent e : events) {
                if (w.sees(e)) {
                    if (w.changed().availablePermits() == 0) {
                        w.changed().release();
                    }
                    break;
                }
            }
        }
    }

    EventStream stream(String account, String region, String cluster) {
        return sink -> {
            Watcher watcher = new Watcher(account, region, cluster, new Semaphore(0));
            watchers.add(watcher);
            try {
                while (sink.open()) {
                    if (watcher.changed().tryAcquire(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS)) {
                        watcher.changed().drainPermits();
                        sink.send("change", cluster);
                        Thread.sleep(QUIET_MILLIS);
                    } else {
                        sink.keepAlive();
                    }
                }
            } finally {
                watchers.remove(watcher);
            }
        };
    }

    @Override
    public void close() {
        subscription.close();
    }
}
