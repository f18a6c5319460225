package dev.stevedore.lb.proxy;

import dev.stevedore.lb.config.Listener;
import dev.stevedore.lb.route.RouteTable;
import java.util.Map;

/**
 * One immutable routing snapshot: each listener's compiled rules and idle timeout (by "address:port") and each
 * target group. A request reads the current snapshot once and uses only it, so it never sees half a
 * configuration change.
 */
public record Routing(Map<String, RouteTable> listeners, Map<String, GroupRoute> groups,
                      Map<String, Long> idleTimeoutNanos) {

    public static final Routing EMPTY = new Routing(Map.of(), Map.of(), Map.of());

    public static String endpoint(String address, int port) {
        return address + ":" + port;
    }

    /** The idle timeout of the listener at this endpoint; ALB's default once the listener is gone. */
    public long idleTimeoutNanos(String endpoint) {
        Long nanos = idleTimeoutNanos.get(endpoint);
        return nanos == null ? Listener.DEFAULT_IDLE_TIMEOUT.toNanos() : nanos;
    }
}
