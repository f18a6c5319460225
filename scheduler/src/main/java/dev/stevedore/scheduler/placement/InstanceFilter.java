package dev.stevedore.scheduler.placement;

import java.util.Arrays;

/**
 * One test an instance must pass to take a task. Each concrete filter exports the ECS reason
 * string reported when the instance that came closest failed it.
 */
abstract sealed class InstanceFilter
        permits StatusFilter, AgentFilter, RequiredAttributeFilter, LocationFilter, CpuFilter, MemoryFilter,
                TcpPortsFilter, UdpPortsFilter, EniFilter, MemberOfFilter, DistinctInstanceFilter {

    /** Whether instance {@code i} passes, given what the request has placed so far. */
    abstract boolean test(Working working, int i);

    /**
     * Whether the verdict depends only on what placing tasks cannot change (registration,
     * attributes, agent), so that it can be computed once per instance and reused by every
     * request until the instance changes.
     */
    boolean isStatic() {
        return false;
    }

    /** The ECS failure reason for an instance that fails this filter. */
    abstract String reason();

    /** A clause of a failure's detail: how many instances this filter rejected, e.g. "3 instances lacked memory". */
    abstract String describe(int rejected);

    static String instances(int n) {
        return n == 1 ? "1 instance" : n + " instances";
    }

    /** Whether any of {@code wanted} is in {@code taken} (sorted). */
    static boolean anyTaken(int[] taken, int[] wanted) {
        for (int port : wanted) {
            if (Arrays.binarySearch(taken, port) >= 0) {
                return true;
            }
        }
        return false;
    }
}
