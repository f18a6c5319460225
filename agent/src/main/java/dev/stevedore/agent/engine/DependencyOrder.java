package dev.stevedore.agent.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Orders a task's containers so that every container comes after those it depends on. */
final class DependencyOrder {

    private DependencyOrder() {}

    /**
     * Container names in start order: dependencies first, otherwise the order of the definition
     * (so that a task without {@code dependsOn} starts its containers as written).
     *
     * @throws IllegalArgumentException naming the containers involved when the dependencies form
     *                                  a cycle or name a container the task does not have
     */
    static List<String> startOrder(List<PlannedContainer> containers) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < containers.size(); i++) {
            index.put(containers.get(i).name(), i);
        }
        for (PlannedContainer c : containers) {
            for (Dependency d : c.dependsOn()) {
                if (!index.containsKey(d.containerName())) {
                    throw new IllegalArgumentException(
                            "container " + c.name() + " depends on " + d.containerName() + ", which is not in the task definition");
                }
            }
        }
        List<String> order = new ArrayList<>();
        boolean[] placed = new boolean[containers.size()];
        while (order.size() < containers.size()) {
            int next = firstReady(containers, index, placed);
            if (next < 0) {
                List<String> stuck = new ArrayList<>();
                for (int i = 0; i < containers.size(); i++) {
                    if (!placed[i]) {
                        stuck.add(containers.get(i).name());
                    }
                }
                throw new IllegalArgumentException("container dependencies form a cycle among " + String.join(", ", stuck));
            }
            placed[next] = true;
            order.add(containers.get(next).name());
        }
        return order;
    }

    private static int firstReady(List<PlannedContainer> containers, Map<String, Integer> index, boolean[] placed) {
        for (int i = 0; i < containers.size(); i++) {
            if (placed[i]) {
                continue;
            }
            boolean ready = containers.get(i).dependsOn().stream()
                    .allMatch(d -> placed[index.get(d.containerName())]);
            if (ready) {
                return i;
            }
        }
        return -1;
    }
}
