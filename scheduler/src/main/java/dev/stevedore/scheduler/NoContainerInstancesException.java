package dev.stevedore.scheduler;

/**
 * The cluster has no container instance of the request's launch type at all. ECS answers RunTask
 * with {@code InvalidParameterException} and this message rather than with per-task failures.
 */
public final class NoContainerInstancesException extends SchedulerException {

    private static final long serialVersionUID = 1L;

    /** The message ECS is observed to use. */
    public static final String MESSAGE = "No Container Instances were found in your cluster.";

    public NoContainerInstancesException() {
        super(MESSAGE);
    }
}
