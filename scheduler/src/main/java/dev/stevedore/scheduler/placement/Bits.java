package dev.stevedore.scheduler.placement;

import java.util.Arrays;

/**
 * A growable set of instance slots, one bit each. The static filters keep their verdicts in
 * these so that a request combines them word by word (64 instances per operation) instead of
 * asking every instance again.
 */
final class Bits {

    private long[] words;

    Bits(int capacity) {
        words = new long[wordsFor(capacity)];
    }

    static int wordsFor(int capacity) {
        return (capacity + 63) >>> 6;
    }

    boolean get(int i) {
        int w = i >>> 6;
        return w < words.length && (words[w] & (1L << i)) != 0;
    }

    void set(int i, boolean value) {
        ensureCapacity(i + 1);
        if (value) {
            words[i >>> 6] |= 1L << i;
        } else {
            words[i >>> 6] &= ~(1L << i);
        }
    }

    void ensureCapacity(int capacity) {
        int needed = wordsFor(capacity);
        if (needed > words.length) {
            words = Arrays.copyOf(words, Math.max(needed, words.length * 2));
        }
    }

    /** {@code into[w] = words[w]} for every word of {@code into}; missing words are empty. */
    void copyInto(long[] into) {
        int n = Math.min(into.length, words.length);
        System.arraycopy(words, 0, into, 0, n);
        Arrays.fill(into, n, into.length, 0L);
    }

    /** {@code into[w] &= words[w]} for every word of {@code into}. */
    void andInto(long[] into) {
        int n = Math.min(into.length, words.length);
        for (int w = 0; w < n; w++) {
            into[w] &= words[w];
        }
        Arrays.fill(into, n, into.length, 0L);
    }
}
