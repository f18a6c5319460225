package dev.stevedore.lb.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the data plane serves, as one immutable value: {@code DataPlane.apply} swaps it in whole.
 *
 * @param listeners where to accept connections and how to route their requests
 * @param targetGroups the groups forward actions name, by id
 */
public record ProxyConfig(List<Listener> listeners, Map<String, TargetGroup> targetGroups) {

    public ProxyConfig {
        listeners = List.copyOf(listeners);
        targetGroups = Map.copyOf(targetGroups);
        Set<String> endpoints = new HashSet<>();
        for (Listener listener : listeners) {
            if (!endpoints.add(listener.address() + ":" + listener.port())) {
                throw new IllegalArgumentException("two listeners on " + listener.address() + ":" + listener.port());
            }
            for (String group : listener.targetGroupIds()) {
                if (!targetGroups.containsKey(group)) {
                    throw new IllegalArgumentException("listener " + listener.port() + " forwards to unknown group " + group);
                }
            }
        }
        targetGroups.forEach((id, group) -> {
            if (!id.equals(group.id())) {
                throw new IllegalArgumentException("target group " + group.id() + " filed under " + id);
            }
        });
    }

    public ProxyConfig(List<Listener> listeners, List<TargetGroup> targetGroups) {
        this(listeners, byId(targetGroups));
    }

    public static ProxyConfig empty() {
        return new ProxyConfig(List.of(), List.of());
    }

    /** The same with every listener given this idle timeout. */
    public ProxyConfig withIdleTimeout(Duration timeout) {
        return new ProxyConfig(listeners.stream().map(l -> l.withIdleTimeout(timeout)).toList(), targetGroups);
    }

    private static Map<String, TargetGroup> byId(List<TargetGroup> groups) {
        Map<String, TargetGroup> byId = new java.util.HashMap<>();
        for (TargetGroup group : groups) {
            if (byId.put(group.id(), group) != null) {
                throw new IllegalArgumentException("two target groups with id " + group.id());
            }
        }
        return byId;
    }
}
