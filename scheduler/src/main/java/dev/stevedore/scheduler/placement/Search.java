package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.BinpackField;
import dev.stevedore.scheduler.LaunchType;
import dev.stevedore.scheduler.PlacementStrategy;
import dev.stevedore.scheduler.RequiredAttribute;
import dev.stevedore.scheduler.query.ClusterQuery;
import dev.stevedore.scheduler.placement.Order.OrderBy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the best instance for each task of one request without visiting every instance when the
 * strategies allow it.
 *
 * <p>Whatever the route, the answer is the {@link Ranking}'s best among the instances that pass
 * every filter; the routes differ only in which instances they can prove need no visit:
 * <ul>
 *   <li><b>binpack first</b>: instances in ascending order of the packed resource, from the
 *       task's own requirement up; the first key level holding a candidate is the only one that
 *       can win, so the walk stops after it.</li>
 *   <li><b>spread over an attribute first</b> (up to {@value #MAX_SPREAD_VALUES} values): values
 *       in ascending order of the group's task count; within the values of the lowest count
 *       that has a candidate, each value's instances are walked like binpack when binpack comes
 *       second, in tie-break order when nothing or only spread over instances follows, or all
 *       of them otherwise.</li>
 *   <li><b>tie-break order</b>, when the strategies left to compare are none or spread over
 *       instances alone (no strategy at all, spread over instances, and a service's default of
 *       spread over zones then instances): instances in {@link Ranking#tie} order, stopping at the
 *       first candidate with no task of the group (or the first candidate at all, with no
 *       strategy left), which no later one can beat. A service of ten tasks on ten thousand
 *       instances visits about ten instances per task instead of all of them.</li>
 *   <li>otherwise (random, and every other combination): every instance that passes the static
 *       filters.</li>
 * </ul>
 * The ordered walks skip, a subtree at a time, instances without the task's CPU and memory
 * (see {@link Order}). Static filters (pool, status, agent, required attributes, memberOf without
 * task counts) are one bit set per request; the other filters are evaluated on the instances
 * visited.
 */
final class Search {

    /** Above this many values, ordering the values per task costs more than scanning. */
    static final int MAX_SPREAD_VALUES = 64;

    private enum Route {
        SCAN, BINPACK, SPREAD, TIE_ORDER
    }

    private final InstanceFilter[] dynamic;
    /** The dynamic filters but CPU and memory, which an order's walk guarantees. */
    private final InstanceFilter[] walkDynamic;
    /** How many leading strategies every instance of a walked level scores alike. */
    private final int levelPrefix;
    private final Working working;
    private final Ranking ranking;
    private final boolean external;
    private final long[] eligible;
    private final Route route;
    private final Order order;
    private final int minKey;
    private final SpreadCounts.Counter spread;
    private final int[] buckets;
    /** Whether the order's partitions are walked in tie-break order ({@link OrderBy#HASH}). */
    private final boolean tieOrder;
    /**
     * In tie-break order: whether spread over instances is the one strategy after the level's,
     * so the walk may stop only at a candidate without a task of the group.
     */
    private final boolean spreadsOverInstances;

    Search(Working working, InstanceFilter[] filters, Scorer[] scorers, List<PlacementStrategy> strategies,
            LaunchType launchType, Ranking ranking) {
        ClusterState state = working.state;
        this.working = working;
        this.ranking = ranking;
        this.external = launchType == LaunchType.EXTERNAL;
        List<RequiredAttribute> attributes = new ArrayList<>();
        List<ClusterQuery> queries = new ArrayList<>();
        List<InstanceFilter> rest = new ArrayList<>();
        for (InstanceFilter filter : filters) {
            switch (filter) {
                case RequiredAttributeFilter required -> attributes.add(required.required());
                case MemberOfFilter memberOf when memberOf.isStatic() -> queries.add(memberOf.query());
                case InstanceFilter f when f.isStatic() -> { } // status and agent: always in the bit set
                default -> rest.add(filter);
            }
        }
        this.dynamic = rest.toArray(InstanceFilter[]::new);
        this.walkDynamic = rest.stream().filter(f -> !(f instanceof CpuFilter) && !(f instanceof MemoryFilter))
                .toArray(InstanceFilter[]::new);
        this.eligible = new long[Bits.wordsFor(state.slots())];
        state.statics.eligible(launchType, attributes, queries, eligible);

        Route chosen = Route.SCAN;
        Optional<Order> index = Optional.empty();
        int key = 0;
        int prefix = 1;
        SpreadCounts.Counter counts = null;
        PlacementStrategy first = strategies.isEmpty() ? null : strategies.get(0);
        if (walkableInTieOrder(strategies, 0)) {
            index = state.orders.get("", OrderBy.HASH, state.buildsIndexes());
            prefix = 0;
            chosen = Route.TIE_ORDER;
        } else if (first instanceof PlacementStrategy.Binpack binpack) {
            index = state.orders.get("", by(binpack.field()), state.buildsIndexes());
            key = requirement(binpack.field());
            chosen = Route.BINPACK;
        } else if (first instanceof PlacementStrategy.Spread spreadFirst && spreadFirst.attributeName().isPresent()
                && scorers[0] instanceof SpreadByAttributeScorer byAttribute
                && byAttribute.counter.column.distinctIds() <= MAX_SPREAD_VALUES) {
            OrderBy by = OrderBy.NOTHING;
            if (strategies.size() > 1 && strategies.get(1) instanceof PlacementStrategy.Binpack second) {
                by = by(second.field());
                key = requirement(second.field());
                prefix = 2;
            } else if (walkableInTieOrder(strategies, 1)) {
                by = OrderBy.HASH;
            }
            index = state.orders.get(byAttribute.attribute, by, state.buildsIndexes());
            counts = byAttribute.counter;
            chosen = Route.SPREAD;
        }
        this.route = index.isPresent() ? chosen : Route.SCAN;
        this.order = index.orElse(null);
        this.minKey = key;
        this.levelPrefix = prefix;
        this.spread = counts;
        this.buckets = route == Route.SPREAD ? new int[counts.column.distinctIds()] : new int[0];
        this.tieOrder = order != null && order.by == OrderBy.HASH;
        this.spreadsOverInstances = strategies.size() > prefix;
    }

    /** Whether the strategies from {@code from} on are none, or spread over instances alone. */
    private static boolean walkableInTieOrder(List<PlacementStrategy> strategies, int from) {
        return strategies.size() == from || (strategies.size() == from + 1
                && strategies.get(from) instanceof PlacementStrategy.Spread spread && spread.attributeName().isEmpty());
    }

    private static OrderBy by(BinpackField field) {
        return field == BinpackField.CPU ? OrderBy.CPU : OrderBy.MEMORY;
    }

    /** Instances with less of the packed resource than the task needs cannot pass its CPU or memory filter. */
    private int requirement(BinpackField field) {
        return field == BinpackField.CPU ? working.task.cpu() : working.task.memoryMiB();
    }

    /** The best instance for task {@code taskIndex} as the cluster state is now, or -1 if none passes. */
    int best(int taskIndex) {
        ranking.begin(taskIndex);
        switch (route) {
            case SCAN -> scanAll();
            case BINPACK -> walk(Order.partition(0, external));
            case SPREAD -> walkSpreadLevels();
            case TIE_ORDER -> walkInTieOrder(Order.partition(0, external));
        }
        return ranking.best();
    }

    private void scanAll() {
        for (int w = 0; w < eligible.length; w++) {
            long word = eligible[w];
            while (word != 0) {
                int i = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                if (passes(dynamic, i)) {
                    ranking.offer(i);
                }
            }
        }
    }

    /**
     * Offers the candidates of the lowest key level of one partition that has any (all of the
     * partition when it is not sorted); whether there was one. Every candidate of that level
     * shares the leading scores (the partition's spread value, the level's key), so the first one
     * tells whether the level can win at all, and the others only compete on what follows.
     */
    private boolean walk(int partition) {
        if (tieOrder) {
            return walkInTieOrder(partition);
        }
        boolean sorted = order.by != OrderBy.NOTHING;
        boolean found = false;
        int foundKey = 0;
        order.seek(partition, minKey, working.task.cpu(), working.task.memoryMiB());
        for (int i = order.next(); i >= 0; i = order.next()) {
            if (found && sorted && order.key(i) != foundKey) {
                break;
            }
            if ((eligible[i >>> 6] & (1L << i)) == 0 || !passes(walkDynamic, i)) {
                continue;
            }
            if (found) {
                ranking.offerFollower(i, levelPrefix);
                continue;
            }
            found = true;
            foundKey = order.key(i);
            if (!ranking.offerLeader(i, levelPrefix)) {
                break;
            }
        }
        return found;
    }

    /**
     * Offers the partition's candidates in tie-break order, the ring of ARN hashes from the
     * task's starting point round to just below it, until one that nothing after it can beat;
     * whether there was a candidate. Every candidate shares the scores of the first
     * {@link #levelPrefix} strategies, as in {@link #walk}.
     */
    private boolean walkInTieOrder(int partition) {
        long start = ranking.tieStart();
        long[] hashes = working.state.arnHashes;
        boolean found = false;
        int unbeatable = -1;
        for (int lap = 0; lap < 2; lap++) {
            order.seek(partition, lap == 0 ? start : 0, working.task.cpu(), working.task.memoryMiB());
            for (int i = order.next(); i >= 0; i = order.next()) {
                if (lap == 1 && Long.compareUnsigned(hashes[i], start) >= 0) {
                    return found; // round the ring
                }
                if (unbeatable >= 0 && hashes[i] != hashes[unbeatable]) {
                    return true; // past the instances that tie with it exactly, which the ARN decides
                }
                if ((eligible[i >>> 6] & (1L << i)) == 0 || !passes(walkDynamic, i)) {
                    continue;
                }
                if (found) {
                    ranking.offerFollower(i, levelPrefix);
                } else {
                    found = true;
                    if (!ranking.offerLeader(i, levelPrefix)) {
                        return true;
                    }
                }
                if (unbeatable < 0 && (!spreadsOverInstances || working.groupCount(i) == 0)) {
                    unbeatable = i;
                }
            }
        }
        return found;
    }

    /** Walks the attribute's values from the fewest tasks of the group up, stopping at the first count with a candidate. */
    private void walkSpreadLevels() {
        int n = 0;
        for (int v = 0; v < buckets.length; v++) {
            if (!order.isEmpty(Order.partition(v, external))) {
                int count = spread.count(v);
                int k = n++;
                for (; k > 0 && spread.count(buckets[k - 1]) > count; k--) {
                    buckets[k] = buckets[k - 1];
                }
                buckets[k] = v;
            }
        }
        for (int k = 0; k < n; ) {
            int level = spread.count(buckets[k]);
            boolean found = false;
            for (; k < n && spread.count(buckets[k]) == level; k++) {
                found |= walk(Order.partition(buckets[k], external));
            }
            if (found) {
                return;
            }
        }
    }

    private boolean passes(InstanceFilter[] filters, int i) {
        for (InstanceFilter filter : filters) {
            if (!filter.test(working, i)) {
                return false;
            }
        }
        return true;
    }
}
