package dev.stevedore.agent.engine;

import java.util.Set;

/**
 * How a task's traffic to the task endpoints ({@code 169.254.170.2:80}) reaches this agent: the
 * engine asks for a route before the first of the task's processes can run, and gives the task's
 * routes back when it stops. Implementations rewrite packets on the host (agent {@code endpoint});
 * {@link #NONE} is a host without task endpoints, whose containers are not told of them.
 */
public interface TaskRoutes {

    /** Whether the task endpoints are served; containers get their addresses only then. */
    boolean enabled();

    /**
     * Routes an {@code awsvpc} task's traffic: packets from its address arriving on the bridge of
     * its subnet.
     */
    void routeTask(String taskArn, String sourceAddress, String bridgeInterface);

    /** Routes a bridge-mode container's traffic: packets from its MAC address on the default bridge. */
    void routeContainer(String taskArn, String macAddress);

    /** Removes every route of the task; removing what is not there is fine. */
    void release(String taskArn);

    /**
     * At start: removes the routes this agent left for any task but {@code taskArns} (those still
     * running here), and points the kept ones at the endpoint as it is now.
     */
    void keepOnly(Set<String> taskArns);

    TaskRoutes NONE = new TaskRoutes() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void routeTask(String taskArn, String sourceAddress, String bridgeInterface) {
        }

        @Override
        public void routeContainer(String taskArn, String macAddress) {
        }

        @Override
        public void release(String taskArn) {
        }

        @Override
        public void keepOnly(Set<String> taskArns) {
        }
    };
}
