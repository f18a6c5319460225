package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.InstanceState;
import dev.stevedore.scheduler.InstanceStatus;
import dev.stevedore.scheduler.LaunchType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A snapshot's instances laid out for placement: one array slot per instance, attribute values
 * by column, and task groups inverted to the instances that run them.
 *
 * <p>Built once per snapshot and shared read-only by every placement on it, so that a request
 * costs array reads rather than map lookups per instance: a required attribute resolves its
 * column once, and spread and distinctInstance visit only the instances that run the group.
 */
public final class ClusterIndex {

    final InstanceState[] states;
    final String[] arns;
    /** Stable per-ARN hashes: the seeded tie-break must not depend on the order of the snapshot. */
    final long[] arnHashes;
    final boolean[] active;
    final boolean[] connected;
    /** Whether the instance is an ECS Anywhere instance, eligible for EXTERNAL tasks only. */
    final boolean[] external;
    final int[] cpu;
    final int[] memory;
    final int[] eni;
    /** Taken host ports per instance, sorted for binary search. */
    final int[][] tcpPorts;
    final int[][] udpPorts;
    private final Map<String, AttributeColumn> columns;
    private final Map<String, GroupMembers> groups;
    private final int[] ec2Pool;
    private final int[] externalPool;
    private final Map<String, Integer> byArn;
    private final AttributeColumn absentColumn;

    private ClusterIndex(List<InstanceState> instances) {
        int n = instances.size();
        states = instances.toArray(InstanceState[]::new);
        arns = new String[n];
        arnHashes = new long[n];
        active = new boolean[n];
        connected = new boolean[n];
        external = new boolean[n];
        cpu = new int[n];
        memory = new int[n];
        eni = new int[n];
        tcpPorts = new int[n][];
        udpPorts = new int[n][];
        byArn = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            InstanceState s = states[i];
            if (byArn.put(s.arn(), i) != null) {
                throw new IllegalArgumentException("duplicate container instance ARN in snapshot: " + s.arn());
            }
            arns[i] = s.arn();
            arnHashes[i] = Seeds.hash(s.arn());
            active[i] = s.status() == InstanceStatus.ACTIVE;
            connected[i] = s.agentConnected();
            external[i] = s.hasAttribute(LaunchType.EXTERNAL_ATTRIBUTE);
            cpu[i] = s.remaining().cpu();
            memory[i] = s.remaining().memoryMiB();
            eni[i] = s.remaining().eniAttachments();
            tcpPorts[i] = sorted(s.remaining().tcpPorts());
            udpPorts[i] = sorted(s.remaining().udpPorts());
        }
        columns = AttributeColumn.build(states);
        absentColumn = AttributeColumn.absent(n);
        groups = GroupMembers.build(states);
        ec2Pool = pool(false);
        externalPool = pool(true);
    }

    /** Lays out the instances; their order is kept and decides ties between equally close failures. */
    public static ClusterIndex of(List<InstanceState> instances) {
        return new ClusterIndex(instances);
    }

    int size() {
        return states.length;
    }

    /** The instances a launch type may use, in snapshot order. */
    int[] pool(LaunchType launchType) {
        return launchType == LaunchType.EXTERNAL ? externalPool : ec2Pool;
    }

    /** The attribute's column; an attribute no instance carries yields an all-absent column. */
    AttributeColumn column(String name) {
        AttributeColumn column = columns.get(name);
        return column != null ? column : absentColumn;
    }

    GroupMembers group(String name) {
        return groups.getOrDefault(name, GroupMembers.NONE);
    }

    /** The position of the instance with this ARN in the snapshot, if it is there. */
    public OptionalInt indexOf(String arn) {
        Integer i = byArn.get(arn);
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    /** Whether instance {@code i} may take tasks of the launch type. */
    boolean inPool(int i, LaunchType launchType) {
        return external[i] == (launchType == LaunchType.EXTERNAL);
    }

    private int[] pool(boolean wantExternal) {
        int[] pool = new int[size()];
        int count = 0;
        for (int i = 0; i < size(); i++) {
            if (external[i] == wantExternal) {
                pool[count++] = i;
            }
        }
        return Arrays.copyOf(pool, count);
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

    /**
     * One attribute across all instances.
     *
     * @param values the value per instance; null where the instance lacks the attribute
     * @param ids a dense id per distinct value, 0 where the attribute is absent, so spread can
     *     count tasks per value in an array
     * @param distinctIds one more than the highest id
     */
    record AttributeColumn(String[] values, int[] ids, int distinctIds) {

        static AttributeColumn absent(int size) {
            return new AttributeColumn(new String[size], new int[size], 1);
        }

        static Map<String, AttributeColumn> build(InstanceState[] states) {
            Map<String, String[]> values = new HashMap<>();
            for (int i = 0; i < states.length; i++) {
                int at = i;
                states[i].attributes().forEach((name, value) ->
                        values.computeIfAbsent(name, k -> new String[states.length])[at] = value);
            }
            Map<String, AttributeColumn> columns = new HashMap<>(values.size() * 2);
            values.forEach((name, column) -> columns.put(name, withIds(column)));
            return columns;
        }

        private static AttributeColumn withIds(String[] values) {
            Map<String, Integer> idOf = new HashMap<>();
            int[] ids = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) {
                    ids[i] = idOf.computeIfAbsent(values[i], v -> idOf.size() + 1);
                }
            }
            return new AttributeColumn(values, ids, idOf.size() + 1);
        }
    }

    /**
     * The instances that run tasks of one group, and how many each.
     *
     * @param instances indexes into the snapshot
     * @param counts tasks of the group on the instance at the same position
     */
    record GroupMembers(int[] instances, int[] counts) {

        static final GroupMembers NONE = new GroupMembers(new int[0], new int[0]);

        static Map<String, GroupMembers> build(InstanceState[] states) {
            Map<String, List<int[]>> pairs = new HashMap<>();
            for (int i = 0; i < states.length; i++) {
                int at = i;
                states[i].taskGroups().forEach((group, count) ->
                        pairs.computeIfAbsent(group, g -> new ArrayList<>()).add(new int[] {at, count}));
            }
            Map<String, GroupMembers> groups = new HashMap<>(pairs.size() * 2);
            pairs.forEach((group, list) -> {
                int[] instances = new int[list.size()];
                int[] counts = new int[list.size()];
                for (int k = 0; k < list.size(); k++) {
                    instances[k] = list.get(k)[0];
                    counts[k] = list.get(k)[1];
                }
                groups.put(group, new GroupMembers(instances, counts));
            });
            return groups;
        }
    }
}
