package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.scheduler.TaskRequirements;
import dev.stevedore.scheduler.query.QueryTarget;
import java.util.Set;

/**
 * The cluster as one request sees it while being placed: the {@link ClusterState}, which already
 * holds the request's earlier tasks (each task is counted on its instance as soon as it is
 * chosen), and what every task of the request needs.
 */
final class Working {

    private static final int[] NO_PORTS = new int[0];

    final ClusterState state;
    final TaskRequirements task;
    final String group;
    final int groupId;
    final int[] taskTcpPorts;
    final int[] taskUdpPorts;
    private final InstanceView view;

    Working(ClusterState state, PlacementRequest request) {
        this.state = state;
        this.task = request.task();
        this.group = request.group();
        this.groupId = state.groups.intern(group);
        this.taskTcpPorts = toArray(task.tcpHostPorts());
        this.taskUdpPorts = toArray(task.udpHostPorts());
        this.view = new InstanceView(state);
    }

    /** Counts one of the request's tasks on instance {@code i}. */
    void place(int i) {
        state.place(i, task, groupId);
    }

    int cpu(int i) {
        return state.cpu[i];
    }

    int memory(int i) {
        return state.memory[i];
    }

    /** Tasks of the request's group on the instance, the ones placed by this request included. */
    int groupCount(int i) {
        return state.groups.count(i, groupId);
    }

    /** The instance as the query language sees it now. Reused: valid until the next call. */
    QueryTarget asQueryTarget(int i) {
        return view.at(i);
    }

    private static int[] toArray(Set<Integer> ports) {
        return ports.isEmpty() ? NO_PORTS : ports.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
