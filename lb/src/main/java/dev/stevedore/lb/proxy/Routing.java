package dev.stevedore.lb.proxy;

import dev.stevedore.lb.route.RouteTable;
import java.util.Map;

/**
 * One immutable routing snapshot: each listener's compiled rules (by "address:port") and each target group.
 * A request reads the current snapshot once and uses only it, so it never sees half a configuration change.
 */
public record Routing(Map<String, RouteTable> listeners, Map<String, GroupRoute> groups, long idleTimeoutNanos) {

    public static final Routing EMPTY = new Routing(Map.of(), Map.of(), java.time.Duration.ofSeconds(60).toNanos());

    public static String endpoint(String address, int port) {
        return address + ":" + port;
    }
}
