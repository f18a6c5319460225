package dev.stevedore.scheduler.placement;

/**
 * Deterministic hashing for every "random" choice the scheduler makes.
 *
 * <p>Placement must be reproducible (the same request on the same snapshot gives the same plan),
 * so randomness is a hash of the request's seed, the task index and the instance's ARN: no
 * generator state, no allocation, and independent of the order instances are visited in.
 */
final class Seeds {

    private Seeds() {
    }

    /** A 64-bit hash of a string (FNV-1a, then mixed); stable across JVMs and runs. */
    static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        return finish(h);
    }

    /** Combines two values into a well-distributed 64-bit value. */
    static long mix(long a, long b) {
        return finish(a ^ (b + 0x9e3779b97f4a7c15L + (a << 6) + (a >>> 2)));
    }

    /** The SplitMix64 finaliser: spreads every input bit over the whole output. */
    private static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
