package dev.stevedore.agent.engine;

import java.util.List;

/**
 * The Docker logging drivers the task engine applies from a container's {@code logConfiguration};
 * the agent advertises exactly these as {@code com.amazonaws.ecs.capability.logging-driver.*}, so
 * placement refuses definitions that need another one. awslogs and awsfirelens need the logs
 * service and are not among them yet.
 */
public final class LogDrivers {
    public static final List<String> SUPPORTED = List.of("json-file", "local", "none", "syslog", "gelf", "fluentd");

    private LogDrivers() {
    }
}
