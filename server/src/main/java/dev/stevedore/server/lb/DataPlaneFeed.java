package dev.stevedore.server.lb;

import dev.stevedore.control.elb.TargetHealthReadings;
import dev.stevedore.control.elb.TargetRef;
import dev.stevedore.control.elb.snapshot.ElbSnapshot;
import dev.stevedore.control.elb.snapshot.ElbSnapshots;
import dev.stevedore.lb.DataPlane;
import dev.stevedore.lb.config.Listener;
import dev.stevedore.lb.config.ProxyConfig;
import dev.stevedore.lb.config.Target;
import dev.stevedore.lb.config.TargetGroup;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.Watch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the in-process data plane serving what the store says: the ELB records are read whole into a snapshot,
 * translated ({@link ProxyConfigs}) and applied at once whenever a key under the ELB prefix changes, and once a
 * second while a target is draining (its delay running out changes no key). It also answers the ELB API's
 * {@link TargetHealthReadings} from the data plane's health checks.
 *
 * <p>Re-reading everything on a change is simple and enough for the few hundred records a user's load balancers
 * make; changes that come in a burst are applied together (one pending read at a time).
 */
public final class DataPlaneFeed implements TargetHealthReadings, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlaneFeed.class);

    private final StateStore store;
    private final DataPlane plane;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "elb-data-plane-feed");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean readPending = new AtomicBoolean();
    private final AtomicReference<ElbSnapshot> applied = new AtomicReference<>();
    private ElbSnapshots snapshots;
    private Watch watch;

    /** Takes the data plane over: closing the feed closes it. */
    public DataPlaneFeed(StateStore store, DataPlane plane) {
        this.store = store;
        this.plane = plane;
    }

    /** Serves the store's load balancers from now on: a first read and apply, then the watch. */
    public void start(ElbSnapshots source) {
        this.snapshots = source;
        ElbSnapshot first = refresh();
        watch = store.watch(ElbSnapshots.watchPrefix(), first.revision() + 1, events -> requestRead());
        worker.scheduleWithFixedDelay(() -> {
            ElbSnapshot last = applied.get();
            if (last != null && last.targetGroups().stream()
                    .anyMatch(g -> g.targets().stream().anyMatch(ElbSnapshot.TargetView::isDraining))) {
                requestRead();
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    private void requestRead() {
        if (readPending.compareAndSet(false, true)) {
            worker.execute(() -> {
                readPending.set(false);
                try {
                    refresh();
                } catch (RuntimeException e) {
                    LOG.warn("load balancer configuration not applied", e);
                }
            });
        }
    }

    private synchronized ElbSnapshot refresh() {
        ElbSnapshot snapshot = snapshots.read();
        ProxyConfig wanted = ProxyConfigs.of(snapshot);
        try {
            plane.apply(wanted);
        } catch (RuntimeException bindFailed) {
            // One listener that cannot bind (its port taken) must not hold back every other change: serve the
            // rest, keeping only listeners already bound, and try the new ones again at the next change.
            Set<String> bound = new HashSet<>();
            plane.config().listeners().forEach(l -> bound.add(l.address() + ":" + l.port()));
            List<Listener> keep = wanted.listeners().stream()
                    .filter(l -> bound.contains(l.address() + ":" + l.port())).toList();
            LOG.warn("a listener could not be bound ({}); serving the others", bindFailed.getMessage());
            plane.apply(new ProxyConfig(keep, wanted.targetGroups()));
        }
        applied.set(snapshot);
        return snapshot;
    }

    /**
     * The data plane's health checks of a target. A target the data plane does not yet hold as draining is read
     * as having a request in flight, so its deregistration is never taken as finished before the data plane has
     * stopped sending it new requests.
     */
    @Override
    public Optional<Reading> reading(String targetGroupArn, TargetRef target) {
        ElbSnapshot last = applied.get();
        if (last == null) {
            return Optional.empty();
        }
        Optional<ElbSnapshot.TargetGroupView> group = last.targetGroup(targetGroupArn);
        if (group.isEmpty()) {
            return Optional.empty();
        }
        String host = ProxyConfigs.host(group.get().targetType(), target);
        boolean drainingInPlane = servedAsDraining(targetGroupArn, host, target.port());
        return plane.reading(targetGroupArn, host, target.port())
                .map(r -> new Reading(r.verdict(), r.verdict().equals("unhealthy") ? r.reason() : "",
                        r.verdict().equals("unhealthy") ? r.description() : "",
                        drainingInPlane ? r.inFlight() : Math.max(1, r.inFlight())));
    }

    private boolean servedAsDraining(String groupArn, String host, int port) {
        TargetGroup group = plane.config().targetGroups().get(groupArn);
        if (group == null) {
            return true;
        }
        return group.targets().stream().filter(t -> t.host().equals(host) && t.port() == port)
                .findFirst().map(Target::draining).orElse(true);
    }

    @Override
    public void close() {
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.debug("closing the ELB watch", e);
            }
        }
        worker.shutdownNow();
        plane.close();
    }
}
