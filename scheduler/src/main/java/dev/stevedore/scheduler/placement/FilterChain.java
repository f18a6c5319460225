package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.PlacementConstraint;
import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.scheduler.RequiredAttribute;
import dev.stevedore.scheduler.TaskRequirements;
import java.util.ArrayList;
import java.util.List;

/**
 * The filters of one request, in the order they are applied.
 *
 * <p>The order decides which instance "came closest" when a task cannot be placed (the one that
 * passed the most filters) and so which reason is reported. It follows ECS's order of
 * evaluation: whether the instance can take tasks at all (status, agent), whether it is the
 * right kind (required attributes), whether it has room (CPU, memory, TCP and UDP ports, ENI),
 * and last the placement constraints in the order given. Filters that cannot fail for this task
 * (no ports, no CPU asked for) are left out.
 */
final class FilterChain {

    private FilterChain() {
    }

    static InstanceFilter[] build(ClusterIndex index, PlacementRequest request) {
        TaskRequirements task = request.task();
        List<InstanceFilter> filters = new ArrayList<>();
        filters.add(new StatusFilter());
        filters.add(new AgentFilter());
        for (RequiredAttribute attribute : task.requiredAttributes()) {
            filters.add(new RequiredAttributeFilter(index, attribute));
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
}
