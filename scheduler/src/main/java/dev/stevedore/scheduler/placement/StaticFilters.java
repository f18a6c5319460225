package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.LaunchType;
import dev.stevedore.scheduler.RequiredAttribute;
import dev.stevedore.scheduler.query.ClusterQuery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verdicts of the filters that placing tasks cannot change — launch-type pool, ACTIVE with a
 * connected agent, each required attribute, each {@code memberOf} that reads no task counts —
 * kept as one bit per instance slot.
 *
 * <p>A verdict is computed the first time a request needs it and then only for an instance that
 * is added, changed or removed, so a request pays for combining bit sets, not for evaluating
 * queries over every instance. Verdicts for required attributes and queries live in a bounded
 * cache: a cluster can see any number of distinct expressions, and an evicted one is just
 * computed again.
 */
final class StaticFilters {

    private static final int MAX_CACHED = 256;

    private final ClusterState state;
    private final Bits ready;
    private final Bits ec2Pool;
    private final Bits externalPool;
    private final InstanceView view;
    /** RequiredAttribute or ClusterQuery to its verdicts; access order, so the least recently used goes. */
    private final Map<Object, Bits> cached = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Bits> eldest) {
            return size() > MAX_CACHED;
        }
    };

    StaticFilters(ClusterState state, int capacity) {
        this.state = state;
        this.ready = new Bits(capacity);
        this.ec2Pool = new Bits(capacity);
        this.externalPool = new Bits(capacity);
        this.view = new InstanceView(state);
    }

    /** Records the verdicts for a slot that now holds a live instance. */
    void attach(int i) {
        ready.set(i, state.active[i] && state.connected[i]);
        ec2Pool.set(i, !state.external[i]);
        externalPool.set(i, state.external[i]);
        cached.forEach((test, bits) -> bits.set(i, evaluate(test, i)));
    }

    /** Clears a slot whose instance is about to change or go. */
    void detach(int i) {
        ready.set(i, false);
        ec2Pool.set(i, false);
        externalPool.set(i, false);
        cached.values().forEach(bits -> bits.set(i, false));
    }

    /**
     * Writes into {@code into} (one bit per slot) the instances of the launch type's pool that
     * pass status, agent, every required attribute and every given query.
     */
    void eligible(LaunchType launchType, List<RequiredAttribute> attributes, List<ClusterQuery> queries,
            long[] into) {
        (launchType == LaunchType.EXTERNAL ? externalPool : ec2Pool).copyInto(into);
        ready.andInto(into);
        for (RequiredAttribute attribute : attributes) {
            verdicts(attribute).andInto(into);
        }
        for (ClusterQuery query : queries) {
            verdicts(query).andInto(into);
        }
    }

    private Bits verdicts(Object test) {
        Bits bits = cached.get(test);
        if (bits == null) {
            bits = new Bits(state.slots());
            for (int i = 0; i < state.slots(); i++) {
                if (state.alive[i]) {
                    bits.set(i, evaluate(test, i));
                }
            }
            cached.put(test, bits);
        }
        return bits;
    }

    /** Read through the state's columns: several times faster than the instance's own attribute map. */
    private boolean evaluate(Object test, int i) {
        return switch (test) {
            case RequiredAttribute attribute -> RequiredAttributeFilter.passes(attribute,
                    state.columns.get(attribute.name()).value(i));
            case ClusterQuery query -> query.matches(view.at(i));
            default -> throw new IllegalArgumentException("not a static test: " + test);
        };
    }
}
