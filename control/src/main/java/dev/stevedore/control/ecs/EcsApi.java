package dev.stevedore.control.ecs;

import dev.stevedore.control.ecs.service.NoTargetGroups;
import dev.stevedore.control.elb.ServiceTargets;
import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.ServiceSpec;
import dev.stevedore.control.ecs.access.DefinitionRoles;
import dev.stevedore.control.ecs.access.EcsAccessRules;
import dev.stevedore.control.ecs.account.AccountSettings;
import dev.stevedore.control.ecs.agent.AgentStates;
import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.stats.TaskStatsBook;
import dev.stevedore.control.ecs.instance.HostHealthController;
import dev.stevedore.control.ecs.service.ServiceOperations;
import dev.stevedore.control.ecs.service.ServiceQueries;
import dev.stevedore.control.ecs.service.history.DeploymentContinuations;
import dev.stevedore.control.ecs.service.history.DeploymentStops;
import dev.stevedore.control.ecs.service.history.HistoryQueries;
import dev.stevedore.control.ecs.protection.TaskProtectionOperations;
import dev.stevedore.control.ecs.service.controller.ServiceController;
import dev.stevedore.control.ecs.service.rollout.RolloutSettings;
import dev.stevedore.control.ecs.instance.AttributeOperations;
import dev.stevedore.control.ecs.instance.ContainerInstanceOperations;
import dev.stevedore.control.ecs.instance.ContainerInstanceQueries;
import dev.stevedore.control.ecs.instance.TaskReservation;
import dev.stevedore.control.ecs.placement.PlacementExplanations;
import dev.stevedore.control.ecs.placement.PlacementObserver;
import dev.stevedore.control.ecs.placement.PlanApplier;
import dev.stevedore.control.ecs.task.TaskIndex;
import dev.stevedore.control.ecs.task.TaskOperations;
import dev.stevedore.control.ecs.task.TaskQueries;
import dev.stevedore.control.ecs.task.TaskRoleTrust;
import dev.stevedore.control.ecs.task.TaskStateChanges;
import dev.stevedore.control.ecs.cluster.ClusterOperations;
import dev.stevedore.control.ecs.tags.TagOperations;
import dev.stevedore.control.ecs.taskset.TaskSetOperations;
import dev.stevedore.control.ecs.taskset.TaskSetQueries;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionOperations;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionRef;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The ECS API: every operation of the official model, answered by its handler or, for operations
 * not built yet, by a clear "not implemented" client error.
 */
public final class EcsApi implements AutoCloseable {
    /** The name of the committed shape spec this API speaks. */
    public static final String SPEC_NAME = "ecs-2014-11-13";

    private final ServiceSpec spec;
    private final Map<String, JsonOperation> implemented;

    private final AgentStates agentStates;
    private final TaskStateChanges taskStateChanges;
    private final ClusterFeed feed;
    private final PlacementExplanations explanations;
    private final TaskStatsBook taskStats;
    private final TaskDefinitionOperations definitions;
    private final StateStore store;
    private final Clock clock;
    private final ControllerSettings controllers;
    private final TaskRoleTrust roleTrust;
    private final PlacementObserver placements;
    private final ServiceTargets targets;
    /** The plan applier and the controllers: the leader's work, absent while this process does not write the store. */
    private volatile LeaderWork leaderWork;

    private record LeaderWork(PlanApplier applier, ServiceController services, HostHealthController hostHealth) {
        void close() {
            hostHealth.close();
            services.close();
            applier.close();
        }
    }

    /**
     * @param channelEndpoint the URL DiscoverPollEndpoint gives agents: this server's own endpoint
     */
    public EcsApi(StateStore store, Clock clock, Supplier<String> channelEndpoint) {
        this(store, clock, channelEndpoint, ControllerSettings.defaults());
    }

    /** With the service scheduler's timings given and the other controllers' defaults. */
    public EcsApi(StateStore store, Clock clock, Supplier<String> channelEndpoint, RolloutSettings rollout) {
        this(store, clock, channelEndpoint, ControllerSettings.defaults().withRollout(rollout));
    }

    /**
     * @param channelEndpoint the URL DiscoverPollEndpoint gives agents: this server's own endpoint
     * @param controllers     the controllers' timings
     */
    public EcsApi(StateStore store, Clock clock, Supplier<String> channelEndpoint, ControllerSettings controllers) {
        this(store, clock, channelEndpoint, controllers, TaskRoleTrust.ANY);
    }

    /**
     * @param channelEndpoint the URL DiscoverPollEndpoint gives agents: this server's own endpoint
     * @param controllers     the controllers' timings
     * @param roleTrust       whether ECS can assume the roles tasks are launched with (IAM's trust policies)
     */
    public EcsApi(StateStore store, Clock clock, Supplier<String> channelEndpoint, ControllerSettings controllers,
                  TaskRoleTrust roleTrust) {
        this(store, clock, channelEndpoint, controllers, roleTrust, PlacementObserver.NONE);
    }

    /**
     * @param channelEndpoint the URL DiscoverPollEndpoint gives agents: this server's own endpoint
     * @param controllers     the controllers' timings
     * @param roleTrust       whether ECS can assume the roles tasks are launched with (IAM's trust policies)
     * @param placements      told of the plan applier's work (metrics)
     */
    public EcsApi(StateStore store, Clock clock, Supplier<String> channelEndpoint, ControllerSettings controllers,
                  TaskRoleTrust roleTrust, PlacementObserver placements) {
        this(store, clock, channelEndpoint, controllers, roleTrust, placements, NoTargetGroups.INSTANCE);
    }

    /**
     * @param channelEndpoint the URL DiscoverPollEndpoint gives agents: this server's own endpoint
     * @param controllers     the controllers' timings
     * @param roleTrust       whether ECS can assume the roles tasks are launched with (IAM's trust policies)
     * @param placements      told of the plan applier's work (metrics)
     * @param targets         the load balancers' target groups services register their tasks in
     */
    public EcsApi(StateStore store, Clock clock, Supplier<String> channelEndpoint, ControllerSettings controllers,
                  TaskRoleTrust roleTrust, PlacementObserver placements, ServiceTargets targets) {
        this(store, clock, channelEndpoint, controllers, roleTrust, placements, targets, true);
    }

    /**
     * @param lead whether to start the plan applier and the controllers now; without, the API serves
     *     reads and the process calls {@link #lead} once it writes the store (a replica elected leader)
     */
    public EcsApi(StateStore store, Clock clock, Supplier<String> channelEndpoint, ControllerSettings controllers,
                  TaskRoleTrust roleTrust, PlacementObserver placements, ServiceTargets targets, boolean lead) {
        this.store = store;
        this.clock = clock;
        this.controllers = controllers;
        this.roleTrust = roleTrust;
        this.placements = placements;
        this.targets = targets;
        this.spec = ServiceSpec.load(SPEC_NAME);
        this.feed = ClusterFeed.start(store);
        this.explanations = new PlacementExplanations(clock);
        this.taskStats = new TaskStatsBook(store, feed, clock);
        AccountSettings accountSettings = new AccountSettings(store);
        TaskDefinitionOperations definitions = new TaskDefinitionOperations(store, clock);
        this.definitions = definitions;
        TaskIndex taskIndex = new TaskIndex(store);
        this.agentStates = new AgentStates(store, definitions,
                new dev.stevedore.control.efs.TaskFileSystems(store, roleTrust::roleMayAct));
        this.taskStateChanges = new TaskStateChanges(store, clock);
        Map<String, JsonOperation> ops = new TreeMap<>();
        ops.putAll(accountSettings.operations());
        ops.putAll(new ClusterOperations(store, accountSettings).operations());
        ops.putAll(definitions.operations());
        ops.putAll(new TagOperations(store).operations());
        ops.putAll(new ContainerInstanceOperations(store, clock, channelEndpoint).operations());
        ops.putAll(new ContainerInstanceQueries(store, taskIndex::groupsByInstance).operations());
        ops.putAll(new AttributeOperations(store).operations());
        ops.putAll(new TaskOperations(store, clock, definitions,
                job -> leaderWork().applier().submitAfterCatchingUp(job), roleTrust, targets).operations());
        ops.putAll(new TaskQueries(store).operations());
        ops.putAll(taskStateChanges.operations());
        ops.putAll(new ServiceOperations(store, clock, definitions, targets).operations());
        ops.putAll(new ServiceQueries(store).operations());
        ops.putAll(new TaskSetOperations(store, clock, definitions).operations());
        ops.putAll(new TaskSetQueries(store).operations());
        ops.putAll(new HistoryQueries(store).operations());
        ops.putAll(new DeploymentStops(store, clock).operations());
        ops.putAll(new DeploymentContinuations(store, clock).operations());
        ops.putAll(new TaskProtectionOperations(store, clock).operations());
        for (String name : ops.keySet()) {
            if (spec.operation(name).isEmpty()) {
                throw new IllegalStateException(name + " is not an operation of " + SPEC_NAME);
            }
        }
        this.implemented = Collections.unmodifiableMap(ops);
        if (lead) {
            lead();
        }
    }

    /**
     * Starts the leader's work: the plan applier, then (so that the feed hands it every change
     * first; see PlanApplier) the service scheduler and lost-host handling. Once only; the store
     * must take this process's commits by now.
     */
    public synchronized void lead() {
        if (leaderWork != null) {
            return;
        }
        PlanApplier applier = new PlanApplier(store, feed, this::reservation, placements, explanations);
        ServiceController services = new ServiceController(store, feed, applier, definitions, clock,
                controllers.rollout(), roleTrust, targets);
        leaderWork = new LeaderWork(applier, services,
                new HostHealthController(store, feed, clock, controllers.hostLostAfter()));
    }

    /**
     * Reads the plan applier's views of every cluster with instances, as {@link #lead} will, and
     * drops them. A replica that follows does it once: taking over then finds the classes, the
     * decoders and the placement code loaded, where a cold start made the first placement wait
     * for half a second. Reads only.
     */
    public void prepareToLead() {
        PlanApplier.readViews(store, this::reservation);
    }

    private TaskReservation reservation(EcsScope scope, Task task) {
        return TaskReservation.of(TaskDefinitionRef.parse(scope, task.taskDefinitionArn())
                        .flatMap(ref -> definitions.find(scope, ref))
                        .orElseThrow(() -> new IllegalStateException("task definition of " + task.taskArn() + " is gone")),
                task.overrides());
    }

    /** Whether the plan applier and the controllers run in this process. */
    public boolean leads() {
        return leaderWork != null;
    }

    private LeaderWork leaderWork() {
        LeaderWork work = leaderWork;
        if (work == null) {
            // A replica relays placements to the leader; one reaching here came in while leadership moved.
            throw new AwsException("ServerException", 500, "This replica does not place tasks now; try again.");
        }
        return work;
    }

    /** The control plane's side of the agent channel. */
    public AgentStates agentStates() {
        return agentStates;
    }

    /** Where agents' observations that have no API call (container health) are recorded. */
    public TaskStateChanges taskStateChanges() {
        return taskStateChanges;
    }

    public ServiceSpec spec() {
        return spec;
    }

    /** Names of the operations that have a real handler. */
    public Set<String> implementedOperations() {
        return implemented.keySet();
    }

    /** The service scheduler. */
    public ServiceController serviceController() {
        return leaderWork().services();
    }

    /** Each task group's last failed placement, kept by this process while it places (the console shows them). */
    public PlacementExplanations placementExplanations() {
        return explanations;
    }

    /** The one watch over every cluster's records, for the agent channel and the controllers. */
    public ClusterFeed clusterFeed() {
        return feed;
    }

    /** What agents report of their running tasks' CPU and memory, kept for the last hour. */
    public TaskStatsBook taskStats() {
        return taskStats;
    }

    /** Stops the plan applier and the feed; calls after this fail. */
    @Override
    public void close() {
        LeaderWork work = leaderWork;
        if (work != null) {
            work.close();
        }
        taskStats.close();
        feed.close();
    }

    /**
     * What each operation of {@link #operations()} needs to be allowed, for
     * {@link dev.stevedore.awsproto.GuardedOperations}. The rules of the calls that run a stored task
     * definition read its roles, to ask for {@code iam:PassRole} on them.
     */
    public Map<String, AccessRule> accessRules() {
        return EcsAccessRules.rules((scope, ref) -> definitions.find(scope, ref)
                .map(definition -> DefinitionRoles.of(definition.taskRoleArn(), definition.executionRoleArn()))
                .orElse(DefinitionRoles.NONE));
    }

    /** A handler for every operation of the model. */
    public Map<String, JsonOperation> operations() {
        Map<String, JsonOperation> all = new TreeMap<>(implemented);
        for (String name : spec.operationNames()) {
            all.putIfAbsent(name, (ctx, input) -> {
                throw EcsErrors.notImplemented(name);
            });
        }
        return all;
    }
}
