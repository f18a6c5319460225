package dev.stevedore.control.ecs.placement;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.model.ecs.Failure;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last placement of each task group that left tasks unplaced, with the scheduler's explanation per
 * task (the closest instance, ECS's reason, and what each filter rejected): what "why is this task not
 * running" shows. Kept in memory by the process that places (the leader), because nothing in the store
 * records a placement that wrote nothing; a restart or a change of leader forgets it, and the next
 * failed placement tells it again. A group whose later placement takes every task it asked for is
 * forgotten: it no longer waits.
 */
public final class PlacementExplanations {

    /** A cluster's task group ({@code family:web}, {@code service:api}). */
    public record Group(EcsScope scope, String cluster, String group) {
        public Group {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(group, "group");
        }
    }

    /**
     * One failed placement.
     *
     * @param asked    tasks the job asked for
     * @param placed   tasks it placed
     * @param failures one per task not placed, in ECS's {@code failures[]} shape with the filters' detail
     */
    public record Explanation(Group group, Instant at, int asked, int placed, List<Failure> failures) {
        public Explanation {
            failures = List.copyOf(failures);
        }
    }

    private final Map<Group, Explanation> last = new ConcurrentHashMap<>();
    private final Clock clock;

    public PlacementExplanations(Clock clock) {
        this.clock = clock;
    }

    void record(PlacementJob job, int placed, List<Failure> failures) {
        Group group = new Group(job.scope(), job.cluster(), job.placement().group());
        if (failures.isEmpty()) {
            last.remove(group);
        } else {
            last.put(group, new Explanation(group, clock.instant(), job.tasksAsked(), placed, failures));
        }
    }

    /** The last failed placement of {@code group}, if it has not placed everything since. */
    public Optional<Explanation> last(Group group) {
        return Optional.ofNullable(last.get(group));
    }

    /** The groups of a cluster whose last placement failed, newest first. */
    public List<Explanation> ofCluster(EcsScope scope, String cluster) {
        return last.values().stream()
                .filter(e -> e.group().scope().equals(scope) && e.group().cluster().equals(cluster))
                .sorted(Comparator.comparing(Explanation::at).reversed())
                .toList();
    }
}
