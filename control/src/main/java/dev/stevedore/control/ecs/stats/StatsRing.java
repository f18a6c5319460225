package dev.stevedore.control.ecs.stats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One task's samples of the last hour: at most {@link #CAPACITY}, one per {@link TaskStatsBook#SPACING}
 * (what arrives in between is only held as the newest), in a ring of parallel primitive arrays that
 * grows to its bound: 20 bytes a sample, so 10,000 tasks that ran the whole hour hold about 27 MB with
 * the maps around them (BENCHMARKS.md). Thread-safe.
 */
final class StatsRing {
    static final int CAPACITY = (int) (TaskStatsBook.WINDOW.toSeconds() / TaskStatsBook.SPACING.toSeconds());

    /** Which group's sums the task counts in. */
    final TaskStatsBook.GroupRef group;
    private long[] atMillis = new long[8];
    private float[] cpu = new float[8];
    private long[] memory = new long[8];
    /** Index of the oldest kept sample, and how many are kept. */
    private int head;
    private int size;
    /** Read without the lock: a scrape reads every task's, and a sample is immutable. */
    private volatile TaskStatsSample latest;

    StatsRing(TaskStatsBook.GroupRef group) {
        this.group = group;
    }

    synchronized void add(TaskStatsSample sample) {
        latest = sample;
        long at = sample.at().toEpochMilli();
        if (size > 0 && at - atMillis[index(size - 1)] < TaskStatsBook.SPACING.toMillis()) {
            return;
        }
        if (size == atMillis.length && size < CAPACITY) {
            grow();
        }
        int slot;
        if (size == atMillis.length) {
            slot = head;
            head = (head + 1) % atMillis.length;
        } else {
            slot = index(size);
            size++;
        }
        atMillis[slot] = at;
        cpu[slot] = (float) sample.cpuVcpus();
        memory[slot] = sample.memoryBytes();
    }

    /** The kept samples no older than {@code since}, then the newest if it was not kept. */
    synchronized List<TaskStatsSample> since(Instant since) {
        List<TaskStatsSample> out = new ArrayList<>(size + 1);
        long from = since.toEpochMilli();
        long last = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            int slot = index(i);
            if (atMillis[slot] >= from) {
                out.add(new TaskStatsSample(Instant.ofEpochMilli(atMillis[slot]), cpu[slot], memory[slot]));
                last = atMillis[slot];
            }
        }
        if (latest != null && latest.at().toEpochMilli() > last && !latest.at().isBefore(since)) {
            out.add(latest);
        }
        return out;
    }

    /** The newest sample; null before the first. */
    TaskStatsSample newest() {
        return latest;
    }

    private int index(int i) {
        return (head + i) % atMillis.length;
    }

    /** Doubles the arrays (up to the bound), unrolling the ring so that the oldest comes first. */
    private void grow() {
        int length = Math.min(CAPACITY, atMillis.length * 2);
        long[] a = new long[length];
        float[] c = new float[length];
        long[] m = new long[length];
        for (int i = 0; i < size; i++) {
            a[i] = atMillis[index(i)];
            c[i] = cpu[index(i)];
            m[i] = memory[index(i)];
        }
        atMillis = a;
        cpu = c;
        memory = m;
        head = 0;
    }
}
