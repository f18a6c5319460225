package dev.stevedore.agent.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A container health check run by the engine, in ECS terms.
 *
 * <p>{@code command} starts with {@code CMD} (an argument vector follows) or {@code CMD-SHELL}
 * (one shell command line follows). The ECS ranges (interval 5–300 s and so on) are checked where
 * task definitions are registered, not here, so that tests can probe every second.
 */
public record HealthCheck(List<String> command, Duration interval, Duration timeout, int retries, Duration startPeriod) {

    /** ECS defaults: interval 30 s, timeout 5 s, 3 retries, no start period. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_RETRIES = 3;

    public HealthCheck {
        command = List.copyOf(command);
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(startPeriod, "startPeriod");
        if (command.size() < 2 || !(command.get(0).equals("CMD") || command.get(0).equals("CMD-SHELL"))) {
            throw new IllegalArgumentException("health check command must be [CMD, exe, args...] or [CMD-SHELL, line]: " + command);
        }
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("health check interval and timeout must be positive");
        }
        if (startPeriod.isNegative()) {
            throw new IllegalArgumentException("health check start period must not be negative");
        }
        if (retries < 1) {
            throw new IllegalArgumentException("health check retries must be at least 1: " + retries);
        }
    }

    /** A {@code CMD-SHELL} check with the ECS defaults. */
    public static HealthCheck shell(String commandLine) {
        return new HealthCheck(List.of("CMD-SHELL", commandLine), DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_RETRIES, Duration.ZERO);
    }

    public HealthCheck withInterval(Duration value) {
        return new HealthCheck(command, value, timeout, retries, startPeriod);
    }

    public HealthCheck withTimeout(Duration value) {
        return new HealthCheck(command, interval, value, retries, startPeriod);
    }

    public HealthCheck withRetries(int value) {
        return new HealthCheck(command, interval, timeout, value, startPeriod);
    }

    public HealthCheck withStartPeriod(Duration value) {
        return new HealthCheck(command, interval, timeout, retries, value);
    }
}
