package dev.stevedore.control.ecs.stats;

import java.util.List;
import java.util.Optional;

/** The read door to task stats: one task's CPU and memory over the last hour, as its agent reported them. */
public interface TaskStats {

    /**
     * The task's samples of the last hour, oldest first, at most one per {@link TaskStatsBook#SPACING}
     * and then the newest; empty for a task that is not running, is unknown, or was not sampled yet.
     */
    List<TaskStatsSample> history(String taskArn);

    /** The newest sample, if the task has one of the last hour. */
    Optional<TaskStatsSample> latest(String taskArn);
}
