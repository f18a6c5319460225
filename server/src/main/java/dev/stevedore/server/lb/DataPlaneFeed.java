package dev.stevedore.server.lb;

import dev.stevedore.control.elb.TargetHealthReadings;
import dev.stevedore.control.elb.TargetRef;
import dev.stevedore.control.elb.snapshot.ElbSnapshot;
import dev.stevedore.control.elb.snapshot.ElbSnapshots;
import dev.stevedore.lb.DataPlane;
import dev.stevedore.store.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the in-process data plane serving what the store says: each snapshot the {@link ElbConfigWatch} reads is
 * translated ({@link ProxyConfigs}) and applied at once. It also answers the ELB API's {@link TargetHealthReadings}
 * from the data plane's health checks.
 */
public final class DataPlaneFeed implements TargetHealthReadings, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlaneFeed.class);

    private final DataPlane plane;
    private final ElbConfigWatch watch;
    private final AtomicReference<ElbSnapshot> applied = new AtomicReference<>();

    /** Takes the data plane over: closing the feed closes it. */
    public DataPlaneFeed(StateStore store, DataPlane plane) {
        this.plane = plane;
        this.watch = new ElbConfigWatch(store, "elb-data-plane-feed", this::apply);
    }

    /** Serves the store's load balancers from now on: a first read and apply, then the watch. */
    public void start(ElbSnapshots source) {
        watch.start(source);
    }

    private void apply(ElbSnapshot snapshot) {
        // One listener that cannot bind (its port taken) must not hold back every other change.
        plane.applyWhatBinds(ProxyConfigs.of(snapshot))
                .ifPresent(failure -> LOG.warn("a listener could not be bound ({}); serving the others", failure));
        applied.set(snapshot);
    }

    /** The data plane's health checks of a target (see {@link TargetReadings#forElb}). */
    @Override
    public Optional<Reading> reading(String targetGroupArn, TargetRef target) {
        return Optional.ofNullable(applied.get())
                .flatMap(snapshot -> ProxyConfigs.host(snapshot, targetGroupArn, target))
                .flatMap(host -> plane.reading(targetGroupArn, host, target.port()))
                .map(TargetReadings::forElb);
    }

    @Override
    public void close() {
        watch.close();
        plane.close();
    }
}
