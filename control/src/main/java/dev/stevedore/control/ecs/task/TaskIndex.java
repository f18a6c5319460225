package dev.stevedore.control.ecs.task;

import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads over the tasks of a cluster that several operations share.
 */
public final class TaskIndex {
    private final StateStore store;

    public TaskIndex(StateStore store) {
        this.store = store;
    }

    public List<Task> tasks(EcsScope scope, String cluster) {
        List<Task> out = new ArrayList<>();
        for (KeyValue kv : store.range(EcsKeys.tasks(scope, cluster))) {
            out.add(Records.decode(kv.value(), Task.class));
        }
        return out;
    }

    /** For every container instance, the groups of its tasks that are not STOPPED, with counts. */
    public Map<String, Map<String, Integer>> groupsByInstance(EcsScope scope, String cluster) {
        Map<String, Map<String, Integer>> out = new HashMap<>();
        for (Task t : tasks(scope, cluster)) {
            if (t.containerInstanceArn() != null && !TaskStatus.STOPPED.equals(t.lastStatus()) && t.group() != null) {
                out.computeIfAbsent(t.containerInstanceArn(), k -> new HashMap<>()).merge(t.group(), 1, Integer::sum);
            }
        }
        return out;
    }
}
