/**
 * The placement engine behind {@link dev.stevedore.scheduler.Scheduler} and
 * {@link dev.stevedore.scheduler.PlacementSession}; internal to the scheduler module. Callers use
 * those; what this package exports for them is the {@code REASON} string of each filter
 * ({@link dev.stevedore.scheduler.placement.CpuFilter},
 * {@link dev.stevedore.scheduler.placement.MemberOfFilter}…), the strings that appear in
 * {@link dev.stevedore.scheduler.PlacementFailure#reason()}.
 *
 * <p>Shape: a {@link dev.stevedore.scheduler.placement.ClusterState} holds the instances in
 * arrays, changed in place as tasks are placed and released, with the indexes placement reads
 * kept current beside them (static-filter bit sets, resource-ordered treaps per attribute value,
 * spread counts). Per request, a {@code Working} view pairs the state with the task, a
 * {@code FilterChain} of one class per filter decides candidates, one {@code Scorer} per strategy
 * ranks them, a {@code Search} picks the route through the indexes, and {@code Placer} loops over
 * the tasks. A snapshot's one-off placements run on a pooled state and are undone afterwards.
 */
package dev.stevedore.scheduler.placement;
