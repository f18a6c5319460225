package dev.stevedore.scheduler;

import dev.stevedore.scheduler.placement.ClusterState;
import dev.stevedore.scheduler.placement.Placer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An immutable picture of one cluster's container instances at one store revision: what
 * {@link Scheduler#place} plans against and what a {@link PlacementSession} starts from.
 *
 * <p>Placing lays the instances out for placement (arrays, attribute columns, task-group lists,
 * then indexes as requests ask for them), which costs time linear in the instances and their
 * attributes. The layout is made on first use and kept for the next request: build a snapshot
 * once and place many requests on it. Safe to share between threads: each thread placing at the
 * same moment works on a layout of its own, and a layout is returned exactly as it was taken.
 */
public final class ClusterSnapshot {

    /** Layouts kept for reuse; more are made when more threads place at once, then dropped. */
    private static final int MAX_IDLE_LAYOUTS = 2;

    private final List<InstanceState> instances;
    /** ARN to position; also handed, read-only, to every layout made of this snapshot. */
    private final Map<String, Integer> positions;
    private final ConcurrentLinkedQueue<ClusterState> idle = new ConcurrentLinkedQueue<>();

    private ClusterSnapshot(List<InstanceState> instances) {
        this.instances = instances;
        Map<String, Integer> byArn = new HashMap<>(instances.size() * 2);
        for (int i = 0; i < instances.size(); i++) {
            if (byArn.put(instances.get(i).arn(), i) != null) {
                throw new IllegalArgumentException(
                        "duplicate container instance ARN in snapshot: " + instances.get(i).arn());
            }
        }
        this.positions = Collections.unmodifiableMap(byArn);
    }

    /**
     * A snapshot of these instances, in this order (the order only breaks ties between equally
     * close instances when a failure is reported).
     *
     * @throws IllegalArgumentException if two instances share an ARN
     */
    public static ClusterSnapshot of(Collection<InstanceState> instances) {
        return new ClusterSnapshot(List.copyOf(instances));
    }

    public List<InstanceState> instances() {
        return instances;
    }

    /** The instance with this container instance ARN, if it is in the snapshot. */
    public Optional<InstanceState> instance(String arn) {
        Integer i = positions.get(arn);
        return i == null ? Optional.empty() : Optional.of(instances.get(i));
    }

    public int size() {
        return instances.size();
    }

    /** Plans one request: placed on a layout, then taken off again. */
    PlacementPlan place(PlacementRequest request) {
        ClusterState layout = borrow();
        PlacementPlan plan;
        try {
            plan = Placer.place(layout, request);
        } catch (NoContainerInstancesException e) {
            giveBack(layout); // thrown before anything was counted
            throw e;
        }
        Placer.undo(layout, request, plan);
        giveBack(layout);
        return plan;
    }

    /** Plans requests in order, each seeing the placements of the ones before; see {@link Scheduler#placeAll}. */
    List<PlacementPlan> placeAll(List<PlacementRequest> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        ClusterState layout = borrow();
        List<PlacementPlan> plans = new ArrayList<>(requests.size());
        try {
            for (PlacementRequest request : requests) {
                plans.add(Placer.place(layout, request));
            }
        } catch (NoContainerInstancesException e) {
            undo(layout, requests, plans);
            giveBack(layout);
            throw e;
        }
        undo(layout, requests, plans);
        giveBack(layout);
        return plans;
    }

    private static void undo(ClusterState layout, List<PlacementRequest> requests, List<PlacementPlan> plans) {
        for (int k = plans.size() - 1; k >= 0; k--) {
            Placer.undo(layout, requests.get(k), plans.get(k));
        }
    }

    /**
     * A layout of this snapshot for a session to own and change: an idle one if there is one (it
     * is then no longer this snapshot's), else a new one.
     */
    ClusterState takeLayout() {
        return borrow();
    }

    private ClusterState borrow() {
        ClusterState layout = idle.poll();
        return layout != null ? layout : ClusterState.of(instances, positions);
    }

    private void giveBack(ClusterState layout) {
        if (idle.size() < MAX_IDLE_LAYOUTS) {
            idle.offer(layout);
        }
    }
}
