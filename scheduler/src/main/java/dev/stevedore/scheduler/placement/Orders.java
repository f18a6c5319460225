package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.placement.Order.OrderBy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link Order}s a cluster state keeps, built when a request's strategies first ask for one
 * and then updated with every change to the instances. Bounded, least recently used first out:
 * each costs a few ints per instance and a little work per placement, and requests may name any
 * attribute.
 */
final class Orders {

    private static final int MAX_ORDERS = 16;

    private record Id(String attribute, OrderBy by) {
    }

    private final ClusterState state;
    private final Map<Id, Order> orders = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Id, Order> eldest) {
            return size() > MAX_ORDERS;
        }
    };

    Orders(ClusterState state) {
        this.state = state;
    }

    /**
     * The order by {@code by} partitioned by {@code attribute} ("" for none), building it if
     * {@code build} allows; empty when it does not exist and may not be built.
     */
    Optional<Order> get(String attribute, OrderBy by, boolean build) {
        Id id = new Id(attribute, by);
        Order order = orders.get(id);
        if (order == null && build) {
            AttributeColumns.Column column = attribute.isEmpty()
                    ? AttributeColumns.ABSENT : state.columns.getOrCreate(attribute);
            order = new Order(state, column, by, state.capacity());
            for (int i = 0; i < state.slots(); i++) {
                if (state.alive[i]) {
                    order.insert(i);
                }
            }
            orders.put(id, order);
        }
        return Optional.ofNullable(order);
    }

    void ensureCapacity(int capacity) {
        orders.values().forEach(order -> order.ensureCapacity(capacity));
    }

    void attach(int i) {
        orders.values().forEach(order -> order.insert(i));
    }

    void detach(int i) {
        orders.values().forEach(order -> order.delete(i));
    }

    /**
     * Takes an instance out of the orders before its resources change: its place in an order
     * sorted by a resource moves, and every order's subtree maxima must see the new values.
     */
    void beforeResourcesChange(int i) {
        for (Order order : orders.values()) {
            order.delete(i);
        }
    }

    /** Puts it back at its new place. */
    void afterResourcesChange(int i) {
        for (Order order : orders.values()) {
            order.insert(i);
        }
    }
}
