package dev.stevedore.control.ecs.task;

import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.fargate.PlatformPool;
import dev.stevedore.control.ecs.instance.TaskReservation;
import dev.stevedore.control.ecs.placement.PlacementJob;
import dev.stevedore.control.ecs.placement.TaskNetwork;
import dev.stevedore.control.ecs.tags.Tags;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionOperations;
import dev.stevedore.model.ecs.PlacementConstraint;
import dev.stevedore.model.ecs.PlacementStrategy;
import dev.stevedore.model.ecs.Tag;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.scheduler.PlacementRequest;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The door through which schedulers other than RunTask (the service controller) start tasks: the
 * same task records, reservations and placement translation RunTask uses, packed as a job for the
 * plan applier — on the cluster's instances, or on the platform pool as Fargate tasks.
 */
public final class TaskLaunches {
    private TaskLaunches() {
    }

    /**
     * What a scheduler launches: the task group, who started the tasks, their tags (already checked;
     * {@code aws:} keys are allowed here because the scheduler writes them), and where they may go:
     * the cluster's own instances, or the platform when {@code platform} is there. {@code network} is
     * an awsvpc definition's network on the cluster's own instances (a Fargate launch has its own).
     */
    public record Launch(String group, String startedBy, List<Tag> tags, boolean enableExecuteCommand,
                         List<PlacementConstraint> constraints, List<PlacementStrategy> strategies,
                         Optional<Platform> platform, Optional<TaskNetwork> network) {
        public Launch {
            tags = List.copyOf(tags);
            constraints = List.copyOf(constraints);
            strategies = List.copyOf(strategies);
        }

        /** The launch of the {@code count} tasks from place {@code from} on: their capacity providers. */
        public Launch part(int from, int count) {
            return new Launch(group, startedBy, tags, enableExecuteCommand, constraints, strategies,
                    platform.map(p -> p.part(from, count)), network);
        }
    }

    /**
     * A Fargate launch: the platform version the tasks report, where their interfaces go, and the
     * capacity provider of each task in launch order (empty names when the launch type was given).
     */
    public record Platform(String platformVersion, TaskNetwork network, List<String> capacityProviders) {
        public Platform {
            capacityProviders = List.copyOf(capacityProviders);
        }

        Platform part(int from, int count) {
            return new Platform(platformVersion, network, capacityProviders.subList(from, from + count));
        }
    }

    /** The task definition a reference names, required ACTIVE, with ECS's errors otherwise. */
    public static TaskDefinition activeDefinition(TaskDefinitionOperations definitions, EcsScope scope, String ref) {
        return Launches.activeDefinition(definitions, scope, ref);
    }

    /**
     * A job that places {@code count} tasks (at most {@link PlacementRequest#MAX_COUNT}) with the
     * scheduler, or one on each of {@code namedInstances} when there are any, on the cluster's own
     * instances (with the launch's network for an awsvpc definition; the plan applier refuses an
     * awsvpc job without one), or on the platform for a Fargate launch.
     *
     * @param requestId seeds the scheduler's random choices
     */
    public static PlacementJob job(EcsScope scope, String cluster, TaskDefinition td, Launch launch, int count,
                                   List<String> namedInstances, String requestId, Clock clock) {
        Optional<TaskNetwork> network = launch.network();
        TaskReservation reservation = TaskReservation.of(td, null);
        PlacementRequest placement = TaskPlacement.request(requestId, td, reservation,
                namedInstances.isEmpty() ? count : 1, launch.group(), launch.constraints(), launch.strategies(),
                network);
        TaskFactory.Launch taskLaunch = new TaskFactory.Launch(cluster, td, null, launch.group(),
                Optional.of(launch.startedBy()), launch.tags(), launch.enableExecuteCommand());
        PlacementJob.Finisher tags = (tasks, failures, writes) -> {
            if (!launch.tags().isEmpty()) {
                tasks.forEach(t -> writes.put(EcsKeys.tags(scope, t.taskArn()), new Tags.TagSet(launch.tags())));
            }
        };
        if (launch.platform().isPresent()) {
            Platform platform = launch.platform().get();
            if (!namedInstances.isEmpty() || platform.capacityProviders().size() != count) {
                throw new IllegalArgumentException("a Fargate launch places " + platform.capacityProviders().size()
                        + " tasks by the scheduler, not " + count + " on " + namedInstances);
            }
            return new PlacementJob(scope, cluster, placement, List.of(), reservation,
                    (host, index) -> TaskFactory.newFargateTask(scope, taskLaunch, host, clock.instant(),
                            platform.platformVersion(), platform.capacityProviders().get(index)),
                    Optional.empty(), tags, PlatformPool.CLUSTER, Optional.of(platform.network()));
        }
        return new PlacementJob(scope, cluster, placement, namedInstances, reservation,
                (instance, index) -> TaskFactory.newTask(scope, taskLaunch, instance, clock.instant()), Optional.empty(),
                tags, cluster, network);
    }
}
