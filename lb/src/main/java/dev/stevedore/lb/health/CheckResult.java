package dev.stevedore.lb.health;

/** The outcome of one health check, with ELB's reason code and description when it failed. */
public record CheckResult(boolean passed, String reason, String description) {

    public static final CheckResult PASSED = new CheckResult(true, "", "");

    public static CheckResult codeMismatch(int status) {
        return new CheckResult(false, "Target.ResponseCodeMismatch", "Health checks failed with these codes: [" + status + "]");
    }

    public static CheckResult timedOut() {
        return new CheckResult(false, "Target.Timeout", "Request timed out");
    }

    public static CheckResult failed() {
        return new CheckResult(false, "Target.FailedHealthChecks", "Health checks failed");
    }
}
