package dev.stevedore.scheduler.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many tasks of each task group run on each instance. Group names are interned to small ints
 * so that the per-instance lists are arrays, a lookup is a short scan (an instance runs a handful
 * of groups) and placing a task allocates nothing.
 */
final class TaskGroups {

    private static final int[] NONE = new int[0];

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private int[][] groups;
    private int[][] counts;
    private int[] sizes;
    /** Per group id, its tasks on all instances together: a group with none needs no instance visited. */
    private int[] totals = new int[16];

    TaskGroups(int capacity) {
        groups = new int[capacity][];
        counts = new int[capacity][];
        sizes = new int[capacity];
        Arrays.fill(groups, NONE);
        Arrays.fill(counts, NONE);
    }

    void ensureCapacity(int capacity) {
        if (capacity > sizes.length) {
            int old = sizes.length;
            groups = Arrays.copyOf(groups, capacity);
            counts = Arrays.copyOf(counts, capacity);
            sizes = Arrays.copyOf(sizes, capacity);
            Arrays.fill(groups, old, capacity, NONE);
            Arrays.fill(counts, old, capacity, NONE);
        }
    }

    /** The group's id, given on first sight. */
    int intern(String group) {
        Integer id = ids.get(group);
        if (id == null) {
            id = names.size();
            ids.put(group, id);
            names.add(group);
            if (id == totals.length) {
                totals = Arrays.copyOf(totals, id * 2);
            }
        }
        return id;
    }

    /** The group's id, or -1 if no instance or request ever named it (so no instance runs it). */
    int find(String group) {
        Integer id = ids.get(group);
        return id == null ? -1 : id;
    }

    String name(int id) {
        return names.get(id);
    }

    /** Tasks of the group on every instance together. */
    int total(int group) {
        return totals[group];
    }

    int count(int i, int group) {
        int[] g = groups[i];
        for (int k = 0; k < sizes[i]; k++) {
            if (g[k] == group) {
                return counts[i][k];
            }
        }
        return 0;
    }

    /** How many groups have tasks on instance {@code i}; with {@link #groupAt} and {@link #countAt}, a way to visit them. */
    int size(int i) {
        return sizes[i];
    }

    int groupAt(int i, int k) {
        return groups[i][k];
    }

    int countAt(int i, int k) {
        return counts[i][k];
    }

    /** Adds {@code delta} tasks of the group on the instance; a group whose count reaches 0 is dropped. */
    void add(int i, int group, int delta) {
        int[] g = groups[i];
        int n = sizes[i];
        for (int k = 0; k < n; k++) {
            if (g[k] == group) {
                int count = counts[i][k] + delta;
                if (count < 0) {
                    throw new IllegalStateException("negative task count for group " + name(group));
                }
                totals[group] += delta;
                if (count > 0) {
                    counts[i][k] = count;
                } else {
                    g[k] = g[n - 1];
                    counts[i][k] = counts[i][n - 1];
                    sizes[i] = n - 1;
                }
                return;
            }
        }
        if (delta < 0) {
            throw new IllegalStateException("no task of group " + name(group) + " to remove");
        }
        if (delta == 0) {
            return;
        }
        if (n == g.length) {
            groups[i] = g = Arrays.copyOf(g, Math.max(4, n * 2));
            counts[i] = Arrays.copyOf(counts[i], g.length);
        }
        g[n] = group;
        counts[i][n] = delta;
        sizes[i] = n + 1;
        totals[group] += delta;
    }

    void set(int i, Map<String, Integer> taskGroups) {
        clear(i);
        taskGroups.forEach((group, count) -> add(i, intern(group), count));
    }

    void clear(int i) {
        for (int k = 0; k < sizes[i]; k++) {
            totals[groups[i][k]] -= counts[i][k];
        }
        sizes[i] = 0;
    }

    Map<String, Integer> toMap(int i) {
        Map<String, Integer> map = new HashMap<>(sizes[i] * 2);
        for (int k = 0; k < sizes[i]; k++) {
            map.put(name(groups[i][k]), counts[i][k]);
        }
        return map;
    }
}
