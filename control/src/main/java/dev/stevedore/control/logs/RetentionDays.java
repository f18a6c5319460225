package dev.stevedore.control.logs;

import java.util.List;
import java.util.stream.Collectors;

/** The retention periods CloudWatch Logs offers, in days; any other number is refused. */
final class RetentionDays {
    static final List<Integer> ALLOWED = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
            1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private RetentionDays() {
    }

    static int check(int days) {
        if (!ALLOWED.contains(days)) {
            throw LogsErrors.invalidParameter("1 validation error detected: Value '" + days
                    + "' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: ["
                    + ALLOWED.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "]");
        }
        return days;
    }

    static long millis(int days) {
        return days * 86_400_000L;
    }
}
