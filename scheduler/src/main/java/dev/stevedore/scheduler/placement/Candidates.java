package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.PlacementFailure;
import java.util.StringJoiner;

/**
 * The instances of the pool that pass every filter, kept up to date as tasks are placed, and for
 * the others the first filter each failed.
 *
 * <p>Queries and resources are per instance, so placing a task can only change the result for
 * the instance it went to: one full evaluation per request, then one re-evaluation per task.
 */
final class Candidates {

    private final InstanceFilter[] filters;
    private final Working working;
    private final int[] pool;
    /** Per instance: the first filter it fails, or {@code filters.length} when it passes all. */
    private final short[] failedAt;
    /** Per filter position: how many pool instances fail first there. */
    private final int[] rejectedBy;
    private final int[] passing;
    private int size;

    private Candidates(InstanceFilter[] filters, Working working, int[] pool) {
        if (filters.length >= Short.MAX_VALUE) {
            throw new IllegalArgumentException("too many filters: " + filters.length);
        }
        this.filters = filters;
        this.working = working;
        this.pool = pool;
        this.failedAt = new short[working.index.size()];
        this.rejectedBy = new int[filters.length + 1];
        this.passing = new int[pool.length];
    }

    static Candidates evaluate(InstanceFilter[] filters, Working working, int[] pool) {
        Candidates candidates = new Candidates(filters, working, pool);
        for (int i : pool) {
            int f = FilterChain.firstFailure(filters, working, i);
            candidates.failedAt[i] = (short) f;
            candidates.rejectedBy[f]++;
            if (f == filters.length) {
                candidates.passing[candidates.size++] = i;
            }
        }
        return candidates;
    }

    int size() {
        return size;
    }

    /** The k-th candidate; the order is arbitrary (ranking does not depend on it). */
    int get(int k) {
        return passing[k];
    }

    /** Re-evaluates a candidate after a task was placed on it, dropping it if it no longer passes. */
    void reevaluate(int i) {
        int f = FilterChain.firstFailure(filters, working, i);
        if (f == filters.length) {
            return;
        }
        rejectedBy[filters.length]--;
        rejectedBy[f]++;
        failedAt[i] = (short) f;
        for (int k = 0; k < size; k++) {
            if (passing[k] == i) {
                passing[k] = passing[--size];
                return;
            }
        }
    }

    /**
     * The failure ECS would report now: the reason of the instance that came closest (passed the
     * most filters; the first in snapshot order among equals) and, beyond ECS, what each filter
     * rejected.
     */
    PlacementFailure failure(int taskIndex) {
        int closest = pool[0];
        for (int i : pool) {
            if (failedAt[i] > failedAt[closest]) {
                closest = i;
            }
        }
        StringJoiner detail = new StringJoiner("; ");
        for (int f = 0; f < filters.length; f++) {
            if (rejectedBy[f] > 0) {
                detail.add(filters[f].describe(rejectedBy[f]));
            }
        }
        return new PlacementFailure(taskIndex, working.index.arns[closest], filters[failedAt[closest]].reason(),
                detail.toString());
    }
}
