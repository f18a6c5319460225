package dev.stevedore.agent.engine;

/**
 * Thrown by a {@link StateReporter} when the control plane refused a report in a way that
 * retrying cannot change (it does not know the task any more, say). The engine then counts the
 * report as delivered.
 */
public class StateReportRejectedException extends RuntimeException {

    public StateReportRejectedException(String message) {
        super(message);
    }

    public StateReportRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
