package dev.stevedore.control.ecs.service;

/**
 * How many failed tasks make the deployment circuit breaker trip: half the desired count, rounded
 * up, kept between 3 and 200 (the current ECS model; the 2023 developer guide said 10 to 200).
 */
public final class CircuitBreakerThreshold {
    static final int MIN = 3;
    static final int MAX = 200;

    private CircuitBreakerThreshold() {
    }

    public static int of(int desiredCount) {
        int half = (desiredCount + 1) / 2;
        return Math.min(MAX, Math.max(MIN, half));
    }
}
