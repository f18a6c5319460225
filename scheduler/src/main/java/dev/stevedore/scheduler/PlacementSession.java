package dev.stevedore.scheduler;

import dev.stevedore.scheduler.placement.ClusterState;
import dev.stevedore.scheduler.placement.Placer;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A cluster kept laid out for placement across many requests: the scheduler's working copy for
 * one writer (the control plane's plan applier) that places request after request and tells it
 * what else changed, instead of building a snapshot per request.
 *
 * <p>{@link #place} plans exactly as {@link Scheduler#place} would on a snapshot of the session's
 * current instances (in the session's order), and then counts the plan's tasks on their
 * instances, so the next request sees them. Whatever happens outside — a placement the store
 * refused, a task that stopped, an instance that registered, changed or left — is told with
 * {@link #release}, {@link #upsert} and {@link #remove}; each costs about as much as one
 * placement, not a rebuild. The indexes placement reads (static-filter verdicts, instances sorted
 * by remaining resources, spread counts) are built when a request first needs them and kept
 * current from then on.
 *
 * <p>Not thread-safe: one thread owns a session. Plans stay deterministic: the same sequence of
 * calls on the same snapshot gives the same plans.
 */
public final class PlacementSession {

    /** Emptied slots left by removals before the layout is rebuilt without them. */
    private static final int MIN_REMOVED_BEFORE_COMPACTION = 1024;

    private ClusterState state;

    private PlacementSession(ClusterState state) {
        this.state = state;
    }

    /** A session starting from the snapshot's instances, in its order. The snapshot is not changed. */
    public static PlacementSession open(ClusterSnapshot snapshot) {
        return new PlacementSession(snapshot.takeLayout());
    }

    /**
     * Plans the request on the session's instances as they are now and counts the placed tasks
     * on them: remaining resources, ports, ENIs, task group and running counts, as
     * {@link InstanceState#withTask} does.
     *
     * @throws NoContainerInstancesException if the session has no instance of the request's
     *     launch type (nothing is changed)
     */
    public PlacementPlan place(PlacementRequest request) {
        Objects.requireNonNull(request, "request");
        return Placer.place(state, request);
    }

    /**
     * Takes one task of {@code group} off an instance, as {@link InstanceState#withoutTask} does:
     * for a placement the plan applier could not commit, or a task that stopped.
     *
     * @return false, changing nothing, if the instance is not in the session (it left, and its
     *     tasks with it)
     * @throws IllegalArgumentException (changing nothing) if the instance runs no task of the
     *     group, or the task's host ports are not taken there
     */
    public boolean release(String instanceArn, TaskRequirements task, String group) {
        Objects.requireNonNull(instanceArn, "instanceArn");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(group, "group");
        OptionalInt i = state.indexOf(instanceArn);
        if (i.isEmpty()) {
            return false;
        }
        state.release(i.getAsInt(), task, group);
        return true;
    }

    /**
     * Adds an instance (placed after every current one) or, when one with the same ARN is in the
     * session, replaces it in its place: status, agent, attributes, resources and tasks all as
     * given.
     */
    public void upsert(InstanceState instance) {
        state.upsert(Objects.requireNonNull(instance, "instance"));
    }

    /** Removes the instance with this ARN; false if it is not in the session. */
    public boolean remove(String instanceArn) {
        Objects.requireNonNull(instanceArn, "instanceArn");
        boolean removed = state.remove(instanceArn);
        if (removed && state.removedSlots() >= MIN_REMOVED_BEFORE_COMPACTION
                && state.removedSlots() > state.size()) {
            // Emptied slots still cost a little per request; a fresh layout keeps the same order.
            state = ClusterState.of(state.instances());
        }
        return removed;
    }

    /** The instance with this ARN as it is now, if it is in the session. */
    public Optional<InstanceState> instance(String arn) {
        Objects.requireNonNull(arn, "arn");
        OptionalInt i = state.indexOf(arn);
        return i.isPresent() ? Optional.of(state.instance(i.getAsInt())) : Optional.empty();
    }

    /** A snapshot of the session's instances as they are now, in the session's order. */
    public ClusterSnapshot snapshot() {
        return ClusterSnapshot.of(state.instances());
    }

    /** How many instances the session holds. */
    public int size() {
        return state.size();
    }
}
