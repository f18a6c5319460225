package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.scheduler.TaskRequirements;
import dev.stevedore.scheduler.query.QueryTarget;
import java.time.Instant;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The cluster as one request sees it while being placed: the shared {@link ClusterIndex} plus the
 * tasks this request has put on each instance so far.
 *
 * <p>All tasks of a request are identical, so "how many of ours are on instance i" is the whole
 * overlay: remaining CPU is the snapshot's minus that count times the task's CPU, and so on. That
 * keeps the snapshot untouched and the per-request state to one byte per instance.
 */
final class Working {

    final ClusterIndex index;
    final TaskRequirements task;
    final String group;
    final int[] taskTcpPorts;
    final int[] taskUdpPorts;
    private final byte[] placedOn;
    /** Tasks of the request's group per instance in the snapshot; built only when asked for. */
    private int[] groupInSnapshot;
    private final View view = new View();

    Working(ClusterIndex index, PlacementRequest request) {
        this.index = index;
        this.task = request.task();
        this.group = request.group();
        this.taskTcpPorts = toArray(task.tcpHostPorts());
        this.taskUdpPorts = toArray(task.udpHostPorts());
        this.placedOn = new byte[index.size()];
    }

    int placedOn(int i) {
        return placedOn[i];
    }

    void place(int i) {
        placedOn[i]++;
    }

    int cpu(int i) {
        return index.cpu[i] - placedOn[i] * task.cpu();
    }

    int memory(int i) {
        return index.memory[i] - placedOn[i] * task.memoryMiB();
    }

    int eni(int i) {
        return index.eni[i] - (task.needsEni() ? placedOn[i] : 0);
    }

    int runningTasks(int i) {
        return index.states[i].runningTasksCount() + placedOn[i];
    }

    /** Tasks of the request's group on the instance, the snapshot's plus those placed now. */
    int groupCount(int i) {
        if (groupInSnapshot == null) {
            groupInSnapshot = new int[index.size()];
            ClusterIndex.GroupMembers members = index.group(group);
            for (int k = 0; k < members.instances().length; k++) {
                groupInSnapshot[members.instances()[k]] = members.counts()[k];
            }
        }
        return groupInSnapshot[i] + placedOn[i];
    }

    /** The instance as the query language sees it, including this request's tasks. Reused: valid until the next call. */
    QueryTarget asQueryTarget(int i) {
        view.at = i;
        return view;
    }

    private static int[] toArray(Set<Integer> ports) {
        return ports.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private final class View implements QueryTarget {

        int at;
        /*
         * A query asks for the same attribute name (the same String object) at every instance,
         * so remembering the last column turns the lookup into an array read; the instance's own
         * immutable map is several times slower and dominated memberOf's cost.
         */
        private String lastName;
        private String[] lastColumn;

        private String[] column(String name) {
            if (name != lastName) {
                lastColumn = index.column(name).values();
                lastName = name;
            }
            return lastColumn;
        }

        @Override
        public boolean agentConnected() {
            return index.connected[at];
        }

        @Override
        public String agentVersion() {
            return index.states[at].agentVersion();
        }

        @Override
        public String ec2InstanceId() {
            return index.states[at].ec2InstanceId();
        }

        @Override
        public Instant registeredAt() {
            return index.states[at].registeredAt();
        }

        @Override
        public int runningTasksCount() {
            return runningTasks(at);
        }

        @Override
        public boolean hasAttribute(String name) {
            return column(name)[at] != null;
        }

        @Override
        public String attributeValue(String name) {
            String value = column(name)[at];
            return value == null ? "" : value;
        }

        @Override
        public int taskGroupCount(String name) {
            int base = index.states[at].taskGroupCount(name);
            return name.equals(group) ? base + placedOn[at] : base;
        }

        @Override
        public boolean hasTaskGroupMatching(Predicate<String> test) {
            return (placedOn[at] > 0 && test.test(group)) || index.states[at].hasTaskGroupMatching(test);
        }
    }
}
