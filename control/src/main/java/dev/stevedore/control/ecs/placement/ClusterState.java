package dev.stevedore.control.ecs.placement;

import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.fargate.PlatformPool;
import dev.stevedore.control.ecs.task.TaskAttachments;
import dev.stevedore.control.ecs.instance.InstanceSnapshots;
import dev.stevedore.control.ecs.instance.InstanceStatus;
import dev.stevedore.control.ecs.instance.TaskReservation;
import dev.stevedore.control.ecs.task.TaskStatus;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.scheduler.ClusterSnapshot;
import dev.stevedore.scheduler.InstanceState;
import dev.stevedore.scheduler.PlacementPlan;
import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.scheduler.PlacementSession;
import dev.stevedore.scheduler.TaskRequirements;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.RangeResult;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The plan applier's view of one cluster: its container instances with the store version each will
 * have once the applier's writes in flight land, and every task not yet STOPPED with what it
 * reserves. Owned by the applier's thread.
 *
 * <p>The applier is the one writer of an instance's remaining resources and task counts. They are
 * derived from the tasks held here ({@link InstanceUsage}), so whatever the stored record says —
 * written by someone else meanwhile, or left behind by a release that was never written — the
 * view puts right and writes back with a later batch.
 */
final class ClusterState {
    final EcsScope scope;
    final String cluster;
    /** Store revision this view was loaded at; watch events at or before it are already in it. */
    final long loadedRevision;
    private final Map<String, CachedInstance> instances = new LinkedHashMap<>();
    private final Map<String, TaskEntry> tasks = new HashMap<>();
    private final Map<String, InstanceUsage> usage = new HashMap<>();
    private final Map<String, Map<String, Integer>> groups = new HashMap<>();
    /** The addresses awsvpc tasks hold, to give back when they stop. */
    private final Map<String, NetworkInterfaces.AddressHold> holds = new HashMap<>();
    /** awsvpc tasks per zone for each (task cluster, group), so a group's interfaces spread over zones. */
    private final Map<String, Map<String, Integer>> zoneSpread = new HashMap<>();
    private final Map<String, String[]> spreadOf = new HashMap<>();
    /** Instances whose tasks changed since the last batch, so a batch looks only at those (not all 10,000). */
    private final java.util.Set<CachedInstance> dirty = new java.util.LinkedHashSet<>();
    /** The scheduler's incremental view of the same instances, kept in step with {@link #instances}. */
    private PlacementSession session;

    /**
     * An instance record, its store version as this view predicts it (counting the applier's own
     * writes still in flight), whether its tasks changed since the record was last derived from
     * them ({@code stale}: derived lazily, once per batch rather than once per placement), and
     * whether the record differs from what is stored.
     */
    static final class CachedInstance {
        ContainerInstance record;
        long version;
        boolean stale;
        boolean unwritten;

        CachedInstance(ContainerInstance record, long version) {
            this.record = record;
            this.version = version;
        }
    }

    /** An instance record to write, on the condition that the store still has it at {@code expectedVersion}. */
    record InstanceWrite(String instanceArn, long expectedVersion, ContainerInstance record) {
    }

    /**
     * What the view remembers of a task that is not STOPPED; {@code takesInterface}: an awsvpc task
     * on a cluster's own instance, which holds one of the instance's ENI attachment points (a
     * platform host's tasks hold none).
     */
    record TaskEntry(String instanceArn, String group, TaskReservation reservation, boolean running,
                     boolean takesInterface) {

        /** What the scheduler counted on the instance for this task. */
        TaskRequirements requirements() {
            return new TaskRequirements(reservation.cpu(), reservation.memoryMiB(), reservation.tcpPorts(),
                    reservation.udpPorts(), takesInterface, List.of());
        }

        TaskEntry started() {
            return new TaskEntry(instanceArn, group, reservation, true, takesInterface);
        }
    }

    private ClusterState(EcsScope scope, String cluster, long loadedRevision) {
        this.scope = scope;
        this.cluster = cluster;
        this.loadedRevision = loadedRevision;
    }

    /**
     * Reads the cluster's instances and the tasks on them from the store at one revision. The tasks
     * on the platform pool's instances are Fargate tasks of every cluster of the scope; a cluster's
     * own Fargate tasks are not on its instances.
     */
    static ClusterState load(StateStore store, EcsScope scope, String cluster,
                             BiFunction<EcsScope, Task, TaskReservation> reservations) {
        // Two reads at two revisions; the view counts as loaded at the earlier one, and replaying
        // the events between them is harmless because applying an event is idempotent.
        RangeResult instances = store.rangeWithRevision(EcsKeys.containerInstances(scope, cluster));
        RangeResult tasks = store.rangeWithRevision(PlatformPool.isPool(cluster)
                ? EcsKeys.allTasks(scope) : EcsKeys.tasks(scope, cluster));
        ClusterState state = new ClusterState(scope, cluster, instances.revision());
        for (KeyValue kv : instances.kvs()) {
            ContainerInstance i = Records.decode(kv.value(), ContainerInstance.class);
            state.instances.put(i.containerInstanceArn(), new CachedInstance(i, kv.version()));
        }
        for (KeyValue kv : tasks.kvs()) {
            Task t = Records.decode(kv.value(), Task.class);
            if (!TaskStatus.STOPPED.equals(t.lastStatus()) && t.containerInstanceArn() != null
                    && cluster.equals(KeyPath.instanceCluster(t.containerInstanceArn()))) {
                Optional<TaskAttachments.InterfaceFacts> eniOf = TaskAttachments.interfaceOf(t);
                state.addTask(t.taskArn(), new TaskEntry(t.containerInstanceArn(), t.group(),
                        reservations.apply(scope, t), TaskStatus.isRunningOrLater(t.lastStatus()),
                        state.takesInterface(eniOf.isPresent())));
                eniOf.ifPresent(eni -> state.holdsAddress(t.taskArn(), t.group(),
                        t.availabilityZone(), new NetworkInterfaces.AddressHold(scope, eni.subnetId(),
                                eni.privateIpv4Address(), eni.networkInterfaceId(), eni.attachmentId())));
            }
        }
        for (CachedInstance c : state.instances.values()) {
            state.tasksChanged(c);
            state.derive(c);
        }
        state.session = PlacementSession.open(state.snapshot());
        return state;
    }

    /** Whether an awsvpc task ({@code awsvpc}) placed in this view holds an attachment point of its instance. */
    private boolean takesInterface(boolean awsvpc) {
        return awsvpc && !PlatformPool.isPool(cluster);
    }

    Optional<CachedInstance> instance(String arn) {
        return Optional.ofNullable(instances.get(arn));
    }

    boolean hasUnwrittenInstances() {
        return !dirty.isEmpty();
    }

    /** The tasks on an instance changed: its record is re-derived when next needed, and written with the next batch. */
    private void tasksChanged(CachedInstance c) {
        c.stale = true;
        dirty.add(c);
    }

    /** The instance's record with its remaining resources and counts as its tasks make them now. */
    private ContainerInstance derive(CachedInstance c) {
        if (c.stale) {
            ContainerInstance derived = usage.computeIfAbsent(c.record.containerInstanceArn(), k -> new InstanceUsage())
                    .applyTo(c.record);
            if (derived != c.record) {
                c.record = derived;
                c.unwritten = true;
            }
            c.stale = false;
        }
        return c.record;
    }

    boolean hasUsableInstances() {
        return instances.values().stream().anyMatch(c -> !InstanceStatus.INACTIVE.equals(c.record.status()));
    }

    /** Plans a request and counts its tasks in the scheduler's view; {@link #placed} then records each. */
    PlacementPlan plan(PlacementRequest request) {
        return session.place(request);
    }

    /** The scheduler's view of one instance as the session has it now. */
    Optional<InstanceState> schedulerView(String arn) {
        return session.instance(arn);
    }

    /** The scheduler's view: every instance that is not INACTIVE, with its task groups. */
    private ClusterSnapshot snapshot() {
        List<InstanceState> states = new ArrayList<>(instances.size());
        for (CachedInstance c : instances.values()) {
            if (!InstanceStatus.INACTIVE.equals(c.record.status())) {
                states.add(schedulerState(c.record));
            }
        }
        return ClusterSnapshot.of(states);
    }

    /** An instance as the scheduler sees it: its record, its task groups and the attachment points its tasks hold. */
    private InstanceState schedulerState(ContainerInstance record) {
        String arn = record.containerInstanceArn();
        return InstanceSnapshots.toState(record, groups.getOrDefault(arn, Map.of()),
                Optional.ofNullable(usage.get(arn)).map(InstanceUsage::interfaces).orElse(0));
    }

    /**
     * A placement: the task reserves its resources on the instance, and an attachment point when it
     * is an {@code awsvpc} task on a cluster's own instance. {@code counted} says whether the session
     * already counted it (a planned placement) or must be told (a named instance).
     */
    void placed(String taskArn, String instanceArn, String group, TaskReservation reservation, boolean awsvpc,
                boolean counted) {
        CachedInstance c = instances.get(instanceArn);
        addTask(taskArn, new TaskEntry(instanceArn, group, reservation, false, takesInterface(awsvpc)));
        tasksChanged(c);
        if (!counted) {
            refresh(derive(c));
        }
    }

    /** An instance record written by someone else (registration, attributes, drain, presence). */
    void instanceChanged(ContainerInstance record, long version) {
        CachedInstance c = instances.get(record.containerInstanceArn());
        if (c == null) {
            c = new CachedInstance(record, version);
            instances.put(record.containerInstanceArn(), c);
        } else if (version > c.version) {
            c.record = record;
            c.version = version;
            c.unwritten = false;
        } else {
            return;
        }
        // Their record is the truth for everything but what the tasks hold, which this view knows better.
        tasksChanged(c);
        refresh(derive(c));
    }

    /** Puts an instance's current record into the scheduler's view (or takes it out when INACTIVE). */
    private void refresh(ContainerInstance record) {
        if (InstanceStatus.INACTIVE.equals(record.status())) {
            session.remove(record.containerInstanceArn());
        } else {
            session.upsert(schedulerState(record));
        }
    }

    /**
     * An awsvpc task placed here holds an address of a subnet in a zone; the view gives the hold back
     * when the task stops, and counts the task for spreading its group over zones.
     */
    void holdsAddress(String taskArn, String group, String zone, NetworkInterfaces.AddressHold hold) {
        holds.put(taskArn, hold);
        String[] spread = {spreadKey(taskArn, group), zone == null ? "" : zone};
        spreadOf.put(taskArn, spread);
        zoneSpread.computeIfAbsent(spread[0], k -> new HashMap<>()).merge(spread[1], 1, Integer::sum);
    }

    /** How many awsvpc tasks of a cluster's task group this view has in a zone. */
    int groupInZone(String cluster, String group, String zone) {
        return zoneSpread.getOrDefault(cluster + "\n" + group, Map.of()).getOrDefault(zone, 0);
    }

    /** Groups are per cluster, and the platform pool holds tasks of many clusters. */
    private static String spreadKey(String taskArn, String group) {
        return KeyPath.TaskArn.parse(taskArn).cluster() + "\n" + group;
    }

    /** The zones of the instances that are not INACTIVE ({@code ecs.availability-zone}). */
    java.util.Set<String> zones() {
        java.util.Set<String> zones = new java.util.HashSet<>();
        for (CachedInstance c : instances.values()) {
            if (!InstanceStatus.INACTIVE.equals(c.record.status()) && c.record.attributes() != null) {
                c.record.attributes().stream().filter(a -> TaskRequirements.ZONE_ATTRIBUTE.equals(a.name()))
                        .forEach(a -> zones.add(a.value()));
            }
        }
        return zones;
    }

    /**
     * A task record changed: started tasks move counters, stopped ones give their reservation back.
     *
     * @return the address the task held, when it stopped holding one
     */
    Optional<NetworkInterfaces.AddressHold> taskChanged(String taskArn, String lastStatus) {
        TaskEntry entry = tasks.get(taskArn);
        if (entry == null) {
            return Optional.empty();
        }
        CachedInstance c = instances.get(entry.instanceArn());
        if (TaskStatus.STOPPED.equals(lastStatus)) {
            removeTask(taskArn, entry);
            String[] spread = spreadOf.remove(taskArn);
            if (spread != null) {
                zoneSpread.getOrDefault(spread[0], new HashMap<>()).merge(spread[1], -1, Integer::sum);
            }
            Optional<NetworkInterfaces.AddressHold> hold = Optional.ofNullable(holds.remove(taskArn));
            if (c != null) {
                tasksChanged(c);
                try {
                    session.release(entry.instanceArn(), entry.requirements(), entry.group());
                } catch (IllegalArgumentException drifted) {
                    refresh(derive(c));  // the views disagree; the record is the truth
                }
            }
            return hold;
        } else if (!entry.running() && TaskStatus.isRunningOrLater(lastStatus)) {
            tasks.put(taskArn, entry.started());
            usage.computeIfAbsent(entry.instanceArn(), k -> new InstanceUsage()).started();
            if (c != null) {
                tasksChanged(c);
            }
        }
        return Optional.empty();
    }

    /**
     * The instance records whose tasks changed and that now differ from what is stored, for the
     * next batch; each will be one store version further once that batch lands.
     */
    List<InstanceWrite> takeUnwritten() {
        List<InstanceWrite> writes = new ArrayList<>();
        for (CachedInstance c : dirty) {
            derive(c);
            if (c.unwritten) {
                writes.add(new InstanceWrite(c.record.containerInstanceArn(), c.version, c.record));
                c.unwritten = false;
                c.version++;
            }
        }
        dirty.clear();
        return writes;
    }

    /** Whether a stored version of an instance is news to this view (not its own write, nor older). */
    boolean isNewer(String instanceArn, long version) {
        CachedInstance c = instances.get(instanceArn);
        return c == null || version > c.version;
    }

    private void addTask(String taskArn, TaskEntry entry) {
        tasks.put(taskArn, entry);
        usage.computeIfAbsent(entry.instanceArn(), k -> new InstanceUsage())
                .add(entry.reservation(), entry.running(), entry.takesInterface());
        if (entry.group() != null) {
            groups.computeIfAbsent(entry.instanceArn(), k -> new HashMap<>()).merge(entry.group(), 1, Integer::sum);
        }
    }

    private void removeTask(String taskArn, TaskEntry entry) {
        tasks.remove(taskArn);
        usage.computeIfAbsent(entry.instanceArn(), k -> new InstanceUsage())
                .remove(entry.reservation(), entry.running(), entry.takesInterface());
        if (entry.group() != null) {
            Map<String, Integer> g = groups.get(entry.instanceArn());
            if (g != null && g.merge(entry.group(), -1, Integer::sum) <= 0) {
                g.remove(entry.group());
            }
        }
    }
}
