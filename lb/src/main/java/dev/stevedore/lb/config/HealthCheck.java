package dev.stevedore.lb.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A target group's health check (HTTP GET).
 *
 * @param port the port to check, or empty for ALB's {@code traffic-port} (the target's own)
 * @param matcher the codes that count as healthy: {@code "200"}, {@code "200-299"}, {@code "200,202"}
 */
public record HealthCheck(boolean enabled, String path, java.util.OptionalInt port, Duration interval, Duration timeout,
        int healthyThreshold, int unhealthyThreshold, String matcher) {

    /** ALB's defaults for an HTTP target group. */
    public static final HealthCheck DEFAULT = new HealthCheck(true, "/", java.util.OptionalInt.empty(),
            Duration.ofSeconds(30), Duration.ofSeconds(5), 5, 2, "200");

    public HealthCheck {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("health check path must start with /: " + path);
        }
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("health check interval and timeout must be positive");
        }
        if (healthyThreshold < 1 || unhealthyThreshold < 1) {
            throw new IllegalArgumentException("health check thresholds must be at least 1");
        }
        codeRanges(matcher);
    }

    public HealthCheck every(Duration newInterval, Duration newTimeout) {
        return new HealthCheck(enabled, path, port, newInterval, newTimeout, healthyThreshold, unhealthyThreshold, matcher);
    }

    public HealthCheck thresholds(int healthy, int unhealthy) {
        return new HealthCheck(enabled, path, port, interval, timeout, healthy, unhealthy, matcher);
    }

    public HealthCheck at(String newPath, String newMatcher) {
        return new HealthCheck(enabled, newPath, port, interval, timeout, healthyThreshold, unhealthyThreshold, newMatcher);
    }

    public boolean accepts(int status) {
        for (int[] range : codeRanges(matcher)) {
            if (status >= range[0] && status <= range[1]) {
                return true;
            }
        }
        return false;
    }

    private static List<int[]> codeRanges(String matcher) {
        List<int[]> ranges = new ArrayList<>();
        for (String part : matcher.split(",")) {
            String[] bounds = part.trim().split("-", 2);
            try {
                int low = Integer.parseInt(bounds[0].trim());
                int high = bounds.length == 2 ? Integer.parseInt(bounds[1].trim()) : low;
                if (low < 100 || high > 599 || low > high) {
                    throw new IllegalArgumentException("bad health check matcher: " + matcher);
                }
                ranges.add(new int[] {low, high});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad health check matcher: " + matcher, e);
            }
        }
        return ranges;
    }
}
