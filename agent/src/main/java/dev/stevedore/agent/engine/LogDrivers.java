package dev.stevedore.agent.engine;

import java.util.List;

/**
 * The Docker logging drivers the task engine applies from a container's {@code logConfiguration};
 * the agent advertises exactly these as {@code com.amazonaws.ecs.capability.logging-driver.*}, so
 * placement refuses definitions that need another one. awslogs is applied too ({@link AwsLogs}),
 * but only where the Docker daemon can get a task's execution role credentials from this agent, so
 * it is advertised with the task endpoints; awsfirelens is not applied.
 */
public final class LogDrivers {
    public static final List<String> SUPPORTED = List.of("json-file", "local", "none", "syslog", "gelf", "fluentd");

    private LogDrivers() {
    }
}
