/**
 * Task placement for Stevedore: a pure function from a {@link dev.stevedore.scheduler.ClusterSnapshot}
 * and a {@link dev.stevedore.scheduler.PlacementRequest} to a {@link dev.stevedore.scheduler.PlacementPlan},
 * with ECS's filters, constraints, strategies and failure reasons.
 *
 * <p>This package is the whole API the control plane needs: {@link dev.stevedore.scheduler.Scheduler}
 * and the records it takes and returns. The cluster query language is in
 * {@link dev.stevedore.scheduler.query}; the engine in {@code placement} is internal.
 * Exceptions derive from {@link dev.stevedore.scheduler.SchedulerException}; none is checked.
 */
package dev.stevedore.scheduler;
