package dev.stevedore.agent.engine;

/**
 * A status as the ECS API spells it for tasks and containers, in lifecycle order. {@link #NONE}
 * means "nothing yet": what has been reported before the first report.
 */
enum WireStatus {
    NONE,
    PENDING,
    RUNNING,
    STOPPED;

    boolean isAfter(WireStatus other) {
        return ordinal() > other.ordinal();
    }

    static WireStatus max(WireStatus a, WireStatus b) {
        return a.isAfter(b) ? a : b;
    }

    /** Whether a transition to this status is reported at all (ECS agents report only these). */
    boolean reportable() {
        return this == RUNNING || this == STOPPED;
    }
}
