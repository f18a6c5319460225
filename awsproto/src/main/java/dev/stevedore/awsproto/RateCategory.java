package dev.stevedore.awsproto;

import java.util.Objects;

/**
 * A group of operations that share one request-rate bucket per account and Region, as a service documents
 * them (ECS: "Cluster read actions", burst 50, sustained 20 per second).
 *
 * @param capacity        the bucket's most tokens: the burst
 * @param refillPerSecond tokens added back each second: the sustained rate
 */
public record RateCategory(String name, int capacity, int refillPerSecond) {
    public RateCategory {
        Objects.requireNonNull(name, "name");
        if (capacity < 1 || refillPerSecond < 1) {
            throw new IllegalArgumentException("a rate category needs a positive capacity and refill rate");
        }
    }
}
