package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.LaunchType;
import dev.stevedore.scheduler.PlacementConstraint;
import dev.stevedore.scheduler.PlacementFailure;
import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.scheduler.RequiredAttribute;
import dev.stevedore.scheduler.TaskRequirements;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The filters of one request, in the order they are applied, and the failure they report when
 * no instance passes them all.
 *
 * <p>The order decides which instance "came closest" when a task cannot be placed (the one that
 * passed the most filters) and so which reason is reported. It follows ECS's order of
 * evaluation: whether the instance can take tasks at all (status, agent), whether it is the
 * right kind (required attributes) in the right place (a zone of an {@code awsvpc} task's
 * subnets), whether it has room (CPU, memory, TCP and UDP ports, ENI),
 * and last the placement constraints in the order given. Filters that cannot fail for this task
 * (no ports, no CPU asked for) are left out.
 */
final class FilterChain {

    private FilterChain() {
    }

    static InstanceFilter[] build(ClusterState state, PlacementRequest request) {
        TaskRequirements task = request.task();
        List<InstanceFilter> filters = new ArrayList<>();
        filters.add(new StatusFilter());
        filters.add(new AgentFilter());
        for (RequiredAttribute attribute : task.requiredAttributes()) {
            filters.add(new RequiredAttributeFilter(state, attribute));
        }
        if (!task.zones().isEmpty()) {
            filters.add(new LocationFilter(state, task));
        }
        if (task.cpu() > 0) {
            filters.add(new CpuFilter());
        }
        if (task.memoryMiB() > 0) {
            filters.add(new MemoryFilter());
        }
        if (!task.tcpHostPorts().isEmpty()) {
            filters.add(new TcpPortsFilter());
        }
        if (!task.udpHostPorts().isEmpty()) {
            filters.add(new UdpPortsFilter());
        }
        if (task.needsEni()) {
            filters.add(new EniFilter());
        }
        boolean distinct = false;
        for (PlacementConstraint constraint : request.constraints()) {
            switch (constraint) {
                case PlacementConstraint.MemberOf memberOf -> filters.add(new MemberOfFilter(memberOf.expression()));
                case PlacementConstraint.DistinctInstance d -> distinct = true;
            }
        }
        if (distinct) {
            // Several distinctInstance constraints say the same thing once.
            filters.add(new DistinctInstanceFilter(request.group()));
        }
        return filters.toArray(InstanceFilter[]::new);
    }

    /** The position of the first filter instance {@code i} fails, or {@code filters.length} if it passes all. */
    static int firstFailure(InstanceFilter[] filters, Working working, int i) {
        for (int f = 0; f < filters.length; f++) {
            if (!filters[f].test(working, i)) {
                return f;
            }
        }
        return filters.length;
    }

    /**
     * The failure ECS would report when no instance of the launch type's pool passes every
     * filter: the reason of the instance that came closest (passed the most filters; the first
     * in slot order among equals) and, beyond ECS, how many instances each filter rejected first.
     * Evaluates every filter on every instance of the pool, which only a failing task pays for.
     */
    static PlacementFailure failure(InstanceFilter[] filters, Working working, LaunchType launchType, int taskIndex) {
        ClusterState state = working.state;
        boolean external = launchType == LaunchType.EXTERNAL;
        int[] rejectedBy = new int[filters.length + 1];
        int closest = -1;
        int closestAt = -1;
        for (int i = 0; i < state.slots(); i++) {
            if (state.alive[i] && state.external[i] == external) {
                int f = firstFailure(filters, working, i);
                rejectedBy[f]++;
                if (f > closestAt) {
                    closest = i;
                    closestAt = f;
                }
            }
        }
        if (closest < 0 || closestAt == filters.length) {
            throw new IllegalStateException("no failure to report: the pool is empty or an instance passes");
        }
        StringJoiner detail = new StringJoiner("; ");
        for (int f = 0; f < filters.length; f++) {
            if (rejectedBy[f] > 0) {
                detail.add(filters[f].describe(rejectedBy[f]));
            }
        }
        return new PlacementFailure(taskIndex, state.arns[closest], filters[closestAt].reason(), detail.toString());
    }
}
