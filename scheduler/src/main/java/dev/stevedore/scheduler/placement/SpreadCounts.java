package dev.stevedore.scheduler.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For {@code spread} over an attribute: how many tasks of a group run on the instances of a
 * launch-type pool that have each value of the attribute. Counted once, when a request first asks,
 * then kept up to date as tasks are placed and released, so a request reads a handful of ints
 * instead of visiting the group's instances.
 */
final class SpreadCounts {

    /** Group, attribute and pool: far more combinations can be named than are in use at once. */
    private static final int MAX_COUNTERS = 4096;

    private record Id(int group, String attribute, boolean external) {
    }

    /** Tasks of one group per value id of one attribute, within one pool. */
    static final class Counter {

        private final Id id;
        final AttributeColumns.Column column;
        private int[] counts = new int[4];

        private Counter(Id id, AttributeColumns.Column column) {
            this.id = id;
            this.column = column;
        }

        int count(int valueId) {
            return valueId < counts.length ? counts[valueId] : 0;
        }

        private void add(int valueId, int delta) {
            if (valueId >= counts.length) {
                counts = Arrays.copyOf(counts, Math.max(valueId + 1, counts.length * 2));
            }
            counts[valueId] += delta;
        }
    }

    private final ClusterState state;
    /** Per group id, its counters; what a placement of that group must update. */
    private final List<List<Counter>> byGroup = new ArrayList<>();
    private final Map<Id, Counter> counters = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Id, Counter> eldest) {
            if (size() > MAX_COUNTERS) {
                byGroup.get(eldest.getKey().group()).remove(eldest.getValue());
                return true;
            }
            return false;
        }
    };

    SpreadCounts(ClusterState state) {
        this.state = state;
    }

    Counter counter(int group, String attribute, boolean external) {
        Id id = new Id(group, attribute, external);
        Counter counter = counters.get(id);
        if (counter == null) {
            counter = new Counter(id, state.columns.getOrCreate(attribute));
            // A new service's group has no task anywhere yet: nothing to count.
            for (int i = 0; state.groups.total(group) > 0 && i < state.slots(); i++) {
                if (state.alive[i] && state.external[i] == external) {
                    counter.add(counter.column.id(i), state.groups.count(i, group));
                }
            }
            counters.put(id, counter);
            while (byGroup.size() <= group) {
                byGroup.add(new ArrayList<>(1));
            }
            byGroup.get(group).add(counter);
        }
        return counter;
    }

    /** {@code delta} tasks of {@code group} were placed on (or, negative, released from) instance {@code i}. */
    void changed(int i, int group, int delta) {
        if (group >= byGroup.size()) {
            return;
        }
        for (Counter counter : byGroup.get(group)) {
            if (counter.id.external() == state.external[i]) {
                counter.add(counter.column.id(i), delta);
            }
        }
    }

    void attach(int i) {
        for (int k = 0; k < state.groups.size(i); k++) {
            changed(i, state.groups.groupAt(i, k), state.groups.countAt(i, k));
        }
    }

    void detach(int i) {
        for (int k = 0; k < state.groups.size(i); k++) {
            changed(i, state.groups.groupAt(i, k), -state.groups.countAt(i, k));
        }
    }
}
