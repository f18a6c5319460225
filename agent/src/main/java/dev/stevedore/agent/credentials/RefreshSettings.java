package dev.stevedore.agent.credentials;

import java.time.Duration;
import java.util.Objects;

/**
 * How a joined agent retries refreshing its credentials.
 *
 * @param retryInitial the first wait after a refresh that got no answer (doubling, with jitter)
 * @param retryMax     the longest wait after one that got no answer
 * @param afterRefusal the wait after the control plane refused: asking again soon would not change
 *                     its mind (a revoked join), but an operator may put things right
 */
public record RefreshSettings(Duration retryInitial, Duration retryMax, Duration afterRefusal) {

    public RefreshSettings {
        Objects.requireNonNull(retryInitial, "retryInitial");
        Objects.requireNonNull(retryMax, "retryMax");
        Objects.requireNonNull(afterRefusal, "afterRefusal");
        if (!retryInitial.isPositive() || retryMax.compareTo(retryInitial) < 0 || !afterRefusal.isPositive()) {
            throw new IllegalArgumentException("waits must be positive and retryMax at least retryInitial");
        }
    }

    public static RefreshSettings defaults() {
        return new RefreshSettings(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(5));
    }
}
