package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.query.QueryTarget;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * An instance slot of a {@link ClusterState} as the query language sees it, read from the
 * state's arrays and columns, tasks placed so far included. Movable: {@link #at} picks the slot,
 * so one view serves a whole pass over the instances without allocating.
 */
final class InstanceView implements QueryTarget {

    private final ClusterState state;
    private int at;
    /*
     * A query asks for the same attribute name (the same String object) at every instance, so
     * remembering the last column turns the lookup into an array read; the instance's own
     * immutable map is several times slower and dominated memberOf's cost.
     */
    private String lastName;
    private AttributeColumns.Column lastColumn;

    InstanceView(ClusterState state) {
        this.state = state;
    }

    /** Points the view at slot {@code i}; returns it for chaining. */
    InstanceView at(int i) {
        at = i;
        return this;
    }

    private AttributeColumns.Column column(String name) {
        if (name != lastName) {
            lastColumn = state.columns.get(name);
            lastName = name;
        }
        return lastColumn;
    }

    @Override
    public boolean agentConnected() {
        return state.connected[at];
    }

    @Override
    public String agentVersion() {
        return state.base[at].agentVersion();
    }

    @Override
    public String ec2InstanceId() {
        return state.base[at].ec2InstanceId();
    }

    @Override
    public Instant registeredAt() {
        return state.base[at].registeredAt();
    }

    @Override
    public int runningTasksCount() {
        return state.running[at];
    }

    @Override
    public boolean hasAttribute(String name) {
        return column(name).value(at) != null;
    }

    @Override
    public String attributeValue(String name) {
        String value = column(name).value(at);
        return value == null ? "" : value;
    }

    @Override
    public int taskGroupCount(String name) {
        int id = state.groups.find(name);
        return id < 0 ? 0 : state.groups.count(at, id);
    }

    @Override
    public boolean hasTaskGroupMatching(Predicate<String> test) {
        for (int k = 0; k < state.groups.size(at); k++) {
            if (test.test(state.groups.name(state.groups.groupAt(at, k)))) {
                return true;
            }
        }
        return false;
    }
}
