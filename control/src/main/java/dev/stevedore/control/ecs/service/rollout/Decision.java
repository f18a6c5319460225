package dev.stevedore.control.ecs.service.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the service scheduler does in one step: tasks to start per deployment (anywhere, or on
 * named instances for DAEMON services), tasks to stop and why, events about what it could not do,
 * and when to look again if nothing changes before.
 *
 * @param starts      deployment (or task set) id → how many tasks to place
 * @param namedStarts deployment id → the instances to start one task each on
 */
public record Decision(Map<String, Integer> starts, Map<String, List<String>> namedStarts, List<Stop> stops,
                       List<String> events, Optional<Instant> recheckAt) {

    public Decision {
        starts = Map.copyOf(starts);
        namedStarts = Map.copyOf(namedStarts);
        stops = List.copyOf(stops);
        events = List.copyOf(events);
    }

    /** A task to stop, the stoppedReason to give it, and whether it is being replaced for failing health checks. */
    public record Stop(ServiceTask task, String reason, boolean unhealthy) {
    }

    public boolean idle() {
        return starts.isEmpty() && namedStarts.isEmpty() && stops.isEmpty();
    }
}
