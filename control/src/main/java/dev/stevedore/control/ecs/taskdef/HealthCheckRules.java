package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.Absent.orEmpty;

import dev.stevedore.model.ecs.HealthCheck;
import java.util.List;

/** Container health checks, and the defaults ECS writes into them on register. */
final class HealthCheckRules {

    // Ranges and defaults from the HealthCheck API reference.
    static final int DEFAULT_INTERVAL = 30;
    static final int DEFAULT_TIMEOUT = 5;
    static final int DEFAULT_RETRIES = 3;

    private HealthCheckRules() {
    }

    /**
     * Checks a container's health check and returns it as ECS stores it: interval, timeout and
     * retries filled with their defaults (describe shows them even when the caller left them out;
     * tools that diff definitions trip over exactly this), startPeriod left absent.
     */
    static HealthCheck normalise(String container, HealthCheck check) {
        if (check == null) {
            return null;
        }
        List<String> command = orEmpty(check.command());
        // Docker's own forms: CMD runs the arguments directly, CMD-SHELL runs one string in the shell.
        boolean known = command.size() >= 2 && ("CMD".equals(command.get(0)) || "CMD-SHELL".equals(command.get(0)));
        if (!known) {
            throw invalid(container, "command", "The command must start with CMD or CMD-SHELL followed by what to run.");
        }
        inRange(container, "interval", check.interval(), 5, 300);
        inRange(container, "timeout", check.timeout(), 2, 60);
        inRange(container, "retries", check.retries(), 1, 10);
        inRange(container, "startPeriod", check.startPeriod(), 0, 300);
        return check.toBuilder()
                .interval(check.interval() == null ? DEFAULT_INTERVAL : check.interval())
                .timeout(check.timeout() == null ? DEFAULT_TIMEOUT : check.timeout())
                .retries(check.retries() == null ? DEFAULT_RETRIES : check.retries())
                .build();
    }

    private static void inRange(String container, String member, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw invalid(container, member, "The value must be between " + min + " and " + max + ".");
        }
    }

    /** Unverified texts, in the "Invalid '...' setting for container" form ECS uses elsewhere. */
    private static InvalidTaskDefinitionException invalid(String container, String member, String detail) {
        return InvalidTaskDefinitionException.client("Invalid 'healthCheck." + member + "' setting for container '"
                + container + "'. " + detail);
    }
}
