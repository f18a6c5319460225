/**
 * Task stats on the control plane: what agents report of their running tasks' CPU and memory, kept
 * in memory for the last hour ({@link dev.stevedore.control.ecs.stats.TaskStatsBook}), read through
 * {@link dev.stevedore.control.ecs.stats.TaskStats} (one task's history, for the console) and summed
 * by task group for the metrics. Nothing here is durable: see ARCHITECTURE.md, "Metrics".
 */
package dev.stevedore.control.ecs.stats;
