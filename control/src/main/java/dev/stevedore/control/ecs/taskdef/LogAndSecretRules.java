package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.Absent.isBlank;
import static dev.stevedore.control.ecs.taskdef.Absent.orEmpty;

import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.LogConfiguration;
import dev.stevedore.model.ecs.LogDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Log configuration and secrets, the container settings that need the execution role. */
final class LogAndSecretRules {

    /** The options ECS and the Docker awslogs driver understand, plus Docker's generic delivery options. */
    private static final Set<String> AWSLOGS_OPTIONS = Set.of(
            "awslogs-group", "awslogs-region", "awslogs-stream-prefix", "awslogs-create-group",
            "awslogs-datetime-format", "awslogs-multiline-pattern", "awslogs-endpoint", "awslogs-stream",
            "awslogs-create-stream", "awslogs-credentials-endpoint", "awslogs-force-flush-interval-seconds",
            "awslogs-max-buffered-events", "awslogs-format", "tag", "mode", "max-buffer-size");
    /** Checked at registration; the rest of the awslogs setup fails only when the task starts. */
    private static final List<String> AWSLOGS_REQUIRED = List.of("awslogs-region", "awslogs-group");

    private LogAndSecretRules() {
    }

    static void check(ContainerDefinition container, String executionRoleArn) {
        LogConfiguration log = container.logConfiguration();
        if (log != null && LogDriver.AWSLOGS.equals(log.logDriver())) {
            checkAwslogs(orEmpty(log.options()));
        }
        // Present at all, even as an empty list: ECS was seen refusing "secrets": [] without a role.
        if (container.secrets() != null && isBlank(executionRoleArn)) {
            throw InvalidTaskDefinitionException.client(
                    "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'."); // verified
        }
    }

    private static void checkAwslogs(Map<String, String> options) {
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(AWSLOGS_OPTIONS);
        if (!unknown.isEmpty()) {
            // Verified form ("Log driver awslogs disallows options: log_key"); the list separator is a guess.
            throw InvalidTaskDefinitionException.client("Log driver awslogs disallows options: " + String.join(", ", unknown));
        }
        List<String> missing = new ArrayList<>();
        for (String required : AWSLOGS_REQUIRED) {
            if (isBlank(options.get(required))) {
                missing.add(required);
            }
        }
        if (!missing.isEmpty()) {
            // Verified second-hand for a missing group ("Log driver awslogs requires options: awslogs-group").
            throw InvalidTaskDefinitionException.client("Log driver awslogs requires options: " + String.join(", ", missing));
        }
    }
}
