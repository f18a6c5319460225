package dev.stevedore.control.ecs.stats;

import java.util.List;
import java.util.Optional;

/**
 * The read door to task stats: one task's CPU and memory over the last hour, as its agent reported them,
 * a task group's summed, and a word each time a sample arrives (for the console's live charts).
 */
public interface TaskStats {

    /**
     * The task's samples of the last hour, oldest first, at most one per {@link TaskStatsBook#SPACING}
     * and then the newest; empty for a task that is not running, is unknown, or was not sampled yet.
     */
    List<TaskStatsSample> history(String taskArn);

    /** The newest sample, if the task has one of the last hour. */
    Optional<TaskStatsSample> latest(String taskArn);

    /**
     * The group's running tasks summed over the last hour, oldest first: one point at the end of each
     * {@link TaskStatsBook#SPACING} and one now, each the sum of every task's newest sample by then
     * that is no older than {@link TaskStatsBook#FRESH} (the last point is what the metrics export);
     * points that no task counts in are left out.
     */
    List<TaskStatsSample> groupHistory(TaskStatsBook.GroupRef group);

    /** Told on the reporting agent's session thread after each kept sample: must only note it, never wait. */
    interface SampleListener {
        void sampled(TaskStatsBook.GroupRef group, String taskArn);
    }

    /** An open {@link #subscribe} registration. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    Subscription subscribe(SampleListener listener);
}
