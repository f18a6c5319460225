/**
 * The placement engine behind {@link dev.stevedore.scheduler.Scheduler}; internal to the
 * scheduler module. Callers use {@code Scheduler}; what this package exports for them is the
 * {@code REASON} string of each filter ({@link dev.stevedore.scheduler.placement.CpuFilter},
 * {@link dev.stevedore.scheduler.placement.MemberOfFilter}…), the strings that appear in
 * {@link dev.stevedore.scheduler.PlacementFailure#reason()}.
 *
 * <p>Shape: a {@link dev.stevedore.scheduler.placement.ClusterIndex} lays a snapshot out in
 * arrays once; per request a {@code Working} overlay counts the request's own tasks per
 * instance, a {@code FilterChain} of one class per filter decides the candidates, one
 * {@code Scorer} per strategy ranks them, and {@code Placer} loops over the tasks.
 */
package dev.stevedore.scheduler.placement;
