package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.InstanceState;
import dev.stevedore.scheduler.InstanceStatus;
import dev.stevedore.scheduler.LaunchType;
import dev.stevedore.scheduler.PlacementFailure;
import dev.stevedore.scheduler.Resources;
import dev.stevedore.scheduler.TaskRequirements;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One cluster's container instances laid out for placement, kept current as tasks are placed and
 * released and instances come, change and go.
 *
 * <p>Each instance has a slot: its fields live in arrays indexed by slot, attributes in columns,
 * task groups in interned lists. Slots keep the order instances were first given in (that order
 * breaks ties between equally close failures); a removed instance leaves an empty slot, and a
 * new one takes the next slot at the end. Around the arrays sit the derived indexes placement
 * reads instead of visiting every instance: static-filter verdicts ({@link StaticFilters}),
 * resource orders ({@link Orders}) and spread counts ({@link SpreadCounts}). Every change goes
 * through this class, which detaches the instance from them before and attaches it after.
 *
 * <p>Mutable and not thread-safe: one owner at a time.
 */
public final class ClusterState {

    private int slots;
    private final int[] livePerPool = new int[2];
    private int removed;
    /** Placement requests served; orders are built only for a state that serves more than one. */
    private int requests;
    /** Counts changes to the instances; what a remembered failure is valid for. */
    private long version;
    /** Failures found at {@link #failuresVersion}, by what decides them (see {@link #knownFailure}). */
    private final Map<Object, PlacementFailure> failures = new HashMap<>();
    private long failuresVersion = -1;

    /** The instance as last given: the source of its fields that placing does not change. */
    InstanceState[] base;
    /** The instance as it is now, built on demand; null when stale. */
    private InstanceState[] current;
    boolean[] alive;
    String[] arns;
    /** Stable per-ARN hashes: the seeded tie-break must not depend on the order of the instances. */
    long[] arnHashes;
    boolean[] active;
    boolean[] connected;
    /** Whether the instance is an ECS Anywhere instance, eligible for EXTERNAL tasks only. */
    boolean[] external;
    int[] cpu;
    int[] memory;
    int[] eni;
    int[] running;
    /** Taken host ports per instance, sorted for binary search. */
    int[][] tcpPorts;
    int[][] udpPorts;
    final TaskGroups groups;
    final AttributeColumns columns;
    final StaticFilters statics;
    final Orders orders;
    final SpreadCounts spread;
    /** ARN to slot; shared read-only with the snapshot the state was laid out from until the first arrival or departure. */
    private Map<String, Integer> byArn;
    private boolean ownsByArn;

    private ClusterState(int capacity) {
        base = new InstanceState[capacity];
        current = new InstanceState[capacity];
        alive = new boolean[capacity];
        arns = new String[capacity];
        arnHashes = new long[capacity];
        active = new boolean[capacity];
        connected = new boolean[capacity];
        external = new boolean[capacity];
        cpu = new int[capacity];
        memory = new int[capacity];
        eni = new int[capacity];
        running = new int[capacity];
        tcpPorts = new int[capacity][];
        udpPorts = new int[capacity][];
        groups = new TaskGroups(capacity);
        columns = new AttributeColumns(capacity);
        statics = new StaticFilters(this, capacity);
        orders = new Orders(this);
        spread = new SpreadCounts(this);
    }

    /**
     * Lays out the instances in this order.
     *
     * @throws IllegalArgumentException if two instances share an ARN
     */
    public static ClusterState of(List<InstanceState> instances) {
        Map<String, Integer> positions = new HashMap<>(instances.size() * 2);
        for (int i = 0; i < instances.size(); i++) {
            if (positions.put(instances.get(i).arn(), i) != null) {
                throw new IllegalArgumentException(
                        "duplicate container instance ARN in snapshot: " + instances.get(i).arn());
            }
        }
        return of(instances, positions);
    }

    /**
     * Lays out the instances in this order, given each one's position by ARN (which the state
     * reads but never changes: it copies the map before its first arrival or departure), so a
     * snapshot that has the map already does not build it twice.
     */
    public static ClusterState of(List<InstanceState> instances, Map<String, Integer> positions) {
        ClusterState state = new ClusterState(Math.max(16, instances.size()));
        state.byArn = positions;
        for (InstanceState instance : instances) {
            int i = state.slots++;
            state.alive[i] = true;
            state.write(i, instance);
            state.attach(i);
        }
        return state;
    }

    private Map<String, Integer> ownByArn() {
        if (!ownsByArn) {
            byArn = new HashMap<>(byArn);
            ownsByArn = true;
        }
        return byArn;
    }

    /** Slots in use, live or emptied; every slot index is below this. */
    int slots() {
        return slots;
    }

    int capacity() {
        return alive.length;
    }

    /** Live instances. */
    public int size() {
        return livePerPool[0] + livePerPool[1];
    }

    /** Slots emptied by removals since the layout was built. */
    public int removedSlots() {
        return removed;
    }

    int poolSize(LaunchType launchType) {
        return livePerPool[launchType == LaunchType.EXTERNAL ? 1 : 0];
    }

    /** Counts a served request; see {@link #requests}. */
    void served() {
        requests++;
    }

    /**
     * Whether indexes that cost O(n log n) to build are worth building: not for a layout that
     * serves one request and is dropped (the way a snapshot built per request is used), where a
     * scan is cheaper.
     */
    boolean buildsIndexes() {
        return requests > 0;
    }

    /**
     * A failure remembered for requests that fail alike, if the instances have not changed since:
     * when a cluster is full, every request that does not fit would otherwise pay a search and
     * a full failure report. {@code key} must capture everything a failure depends on besides
     * the instances (launch type, task, group, constraints).
     */
    PlacementFailure knownFailure(Object key) {
        return failuresVersion == version ? failures.get(key) : null;
    }

    void rememberFailure(Object key, PlacementFailure failure) {
        if (failuresVersion != version || failures.size() >= 64) {
            failures.clear();
            failuresVersion = version;
        }
        failures.put(key, failure);
    }

    /** The slot of the live instance with this ARN. */
    public OptionalInt indexOf(String arn) {
        Integer i = byArn.get(arn);
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    /** The instance in slot {@code i} as it is now. */
    public InstanceState instance(int i) {
        if (!alive[i]) {
            throw new IllegalArgumentException("slot " + i + " holds no instance");
        }
        InstanceState now = current[i];
        if (now == null) {
            InstanceState b = base[i];
            now = new InstanceState(b.arn(), b.id(), b.ec2InstanceId(), b.status(), b.agentConnected(),
                    b.agentVersion(), b.registeredAt(), b.attributes(), b.registered(),
                    new Resources(cpu[i], memory[i], boxed(tcpPorts[i]), boxed(udpPorts[i]), eni[i]),
                    running[i], groups.toMap(i));
            current[i] = now;
        }
        return now;
    }

    /** The live instances as they are now, in slot order. */
    public List<InstanceState> instances() {
        List<InstanceState> list = new ArrayList<>(size());
        for (int i = 0; i < slots; i++) {
            if (alive[i]) {
                list.add(instance(i));
            }
        }
        return list;
    }

    /**
     * Adds an instance at the end, or replaces the instance with the same ARN in its slot (status,
     * agent, attributes, resources and tasks all as given).
     */
    public void upsert(InstanceState instance) {
        version++;
        Integer existing = byArn.get(instance.arn());
        int i;
        if (existing != null) {
            i = existing;
            detach(i);
            columns.clear(i, base[i].attributes());
        } else {
            if (slots == capacity()) {
                grow(capacity() * 2);
            }
            i = slots++;
            ownByArn().put(instance.arn(), i);
            alive[i] = true;
        }
        write(i, instance);
        attach(i);
    }

    /** Removes the instance with this ARN, leaving its slot empty; false if there is none. */
    public boolean remove(String arn) {
        if (!byArn.containsKey(arn)) {
            return false;
        }
        int i = ownByArn().remove(arn);
        version++;
        detach(i);
        columns.clear(i, base[i].attributes());
        groups.clear(i);
        alive[i] = false;
        base[i] = null;
        current[i] = null;
        removed++;
        return true;
    }

    private void write(int i, InstanceState s) {
        base[i] = s;
        current[i] = s;
        arns[i] = s.arn();
        arnHashes[i] = Seeds.hash(s.arn());
        active[i] = s.status() == InstanceStatus.ACTIVE;
        connected[i] = s.agentConnected();
        external[i] = s.hasAttribute(LaunchType.EXTERNAL_ATTRIBUTE);
        cpu[i] = s.remaining().cpu();
        memory[i] = s.remaining().memoryMiB();
        eni[i] = s.remaining().eniAttachments();
        running[i] = s.runningTasksCount();
        tcpPorts[i] = sorted(s.remaining().tcpPorts());
        udpPorts[i] = sorted(s.remaining().udpPorts());
        columns.set(i, s.attributes());
        groups.set(i, s.taskGroups());
    }

    private void attach(int i) {
        livePerPool[external[i] ? 1 : 0]++;
        statics.attach(i);
        orders.attach(i);
        spread.attach(i);
    }

    private void detach(int i) {
        livePerPool[external[i] ? 1 : 0]--;
        statics.detach(i);
        orders.detach(i);
        spread.detach(i);
    }

    /**
     * Counts one more task of group {@code group} on instance {@code i}, as
     * {@link InstanceState#withTask} does; the caller has checked that it fits.
     */
    void place(int i, TaskRequirements task, int group) {
        version++;
        orders.beforeResourcesChange(i);
        cpu[i] -= task.cpu();
        memory[i] -= task.memoryMiB();
        eni[i] -= task.needsEni() ? 1 : 0;
        if (!task.tcpHostPorts().isEmpty()) {
            tcpPorts[i] = union(tcpPorts[i], task.tcpHostPorts());
        }
        if (!task.udpHostPorts().isEmpty()) {
            udpPorts[i] = union(udpPorts[i], task.udpHostPorts());
        }
        running[i]++;
        groups.add(i, group, 1);
        spread.changed(i, group, 1);
        orders.afterResourcesChange(i);
        current[i] = null;
    }

    /**
     * Takes one task of {@code group} off instance {@code i}, as {@link InstanceState#withoutTask}
     * does.
     *
     * @throws IllegalArgumentException (changing nothing) if no task of the group is on the
     *     instance or the task's ports are not taken there
     */
    public void release(int i, TaskRequirements task, String group) {
        int g = groups.find(group);
        if (!alive[i] || g < 0 || groups.count(i, g) == 0 || running[i] == 0) {
            throw new IllegalArgumentException("no task of group " + group + " on " + arns[i]);
        }
        requireTaken(tcpPorts[i], task.tcpHostPorts(), "TCP");
        requireTaken(udpPorts[i], task.udpHostPorts(), "UDP");
        release(i, task, g);
    }

    /** {@link #release(int, TaskRequirements, String)} without the checks, for undoing this state's own placements. */
    void release(int i, TaskRequirements task, int group) {
        version++;
        orders.beforeResourcesChange(i);
        cpu[i] += task.cpu();
        memory[i] += task.memoryMiB();
        eni[i] += task.needsEni() ? 1 : 0;
        if (!task.tcpHostPorts().isEmpty()) {
            tcpPorts[i] = minus(tcpPorts[i], task.tcpHostPorts());
        }
        if (!task.udpHostPorts().isEmpty()) {
            udpPorts[i] = minus(udpPorts[i], task.udpHostPorts());
        }
        running[i]--;
        groups.add(i, group, -1);
        spread.changed(i, group, -1);
        orders.afterResourcesChange(i);
        current[i] = null;
    }

    private void grow(int capacity) {
        base = Arrays.copyOf(base, capacity);
        current = Arrays.copyOf(current, capacity);
        alive = Arrays.copyOf(alive, capacity);
        arns = Arrays.copyOf(arns, capacity);
        arnHashes = Arrays.copyOf(arnHashes, capacity);
        active = Arrays.copyOf(active, capacity);
        connected = Arrays.copyOf(connected, capacity);
        external = Arrays.copyOf(external, capacity);
        cpu = Arrays.copyOf(cpu, capacity);
        memory = Arrays.copyOf(memory, capacity);
        eni = Arrays.copyOf(eni, capacity);
        running = Arrays.copyOf(running, capacity);
        tcpPorts = Arrays.copyOf(tcpPorts, capacity);
        udpPorts = Arrays.copyOf(udpPorts, capacity);
        groups.ensureCapacity(capacity);
        orders.ensureCapacity(capacity);
    }

    private static void requireTaken(int[] taken, Set<Integer> ports, String protocol) {
        for (int port : ports) {
            if (Arrays.binarySearch(taken, port) < 0) {
                throw new IllegalArgumentException(protocol + " port " + port + " is not taken");
            }
        }
    }

    private static int[] sorted(Set<Integer> ports) {
        int[] result = new int[ports.size()];
        int k = 0;
        for (int port : ports) {
            result[k++] = port;
        }
        Arrays.sort(result);
        return result;
    }

    private static int[] union(int[] taken, Set<Integer> ports) {
        int[] result = Arrays.copyOf(taken, taken.length + ports.size());
        int k = taken.length;
        for (int port : ports) {
            result[k++] = port;
        }
        Arrays.sort(result);
        return result;
    }

    private static int[] minus(int[] taken, Set<Integer> ports) {
        int[] result = new int[taken.length];
        int k = 0;
        for (int port : taken) {
            if (!ports.contains(port)) {
                result[k++] = port;
            }
        }
        return Arrays.copyOf(result, k);
    }

    private static Set<Integer> boxed(int[] ports) {
        Integer[] boxed = new Integer[ports.length];
        for (int k = 0; k < ports.length; k++) {
            boxed[k] = ports[k];
        }
        return Set.of(boxed);
    }
}
