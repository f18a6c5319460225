package dev.stevedore.scheduler;

/** Root of the scheduler's exceptions; the caller maps each to an AWS error at the edge. */
public abstract class SchedulerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected SchedulerException(String message) {
        super(message);
    }

    protected SchedulerException(String message, Throwable cause) {
        super(message, cause);
    }
}
