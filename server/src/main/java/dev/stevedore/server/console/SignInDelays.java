package dev.stevedore.server.console;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pause before answering a wrong sign-in, growing with each failure from the same address (0.5 s,
 * 1 s, 2 s … up to 8 s) and forgotten after a success: guessing keys gets slow, a typo costs little.
 */
final class SignInDelays {
    static final Duration FIRST = Duration.ofMillis(500);
    static final Duration LONGEST = Duration.ofSeconds(8);
    private static final int MAX_TRACKED = 10_000;

    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    /** Counts a failure from {@code source}; the pause to take before answering it. */
    Duration failed(String source) {
        if (failures.size() >= MAX_TRACKED) {
            failures.clear();
        }
        int count = failures.merge(source, 1, Integer::sum);
        long millis = FIRST.toMillis() << Math.min(count - 1, 10);
        return Duration.ofMillis(Math.min(millis, LONGEST.toMillis()));
    }

    void succeeded(String source) {
        failures.remove(source);
    }
}
