package dev.stevedore.control.ecs.cluster;

import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.ecs.Cluster;
import dev.stevedore.model.ecs.ClusterField;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads clusters and renders them as the API shows them: the stored record plus the counts derived
 * from the cluster's instances, tasks and services, and the optional parts a caller asked for.
 */
final class ClusterView {
    private static final List<String> CREATE_VIEW = List.of(ClusterField.SETTINGS, ClusterField.TAGS);
    /** What the update calls answer with. */
    static final List<String> UPDATE_VIEW = List.of(ClusterField.SETTINGS, ClusterField.CONFIGURATIONS);

    private final StateStore store;

    ClusterView(StateStore store) {
        this.store = store;
    }

    Optional<Cluster> find(EcsScope scope, String name) {
        return store.get(EcsKeys.cluster(scope, name)).map(kv -> Records.decode(kv.value(), Cluster.class));
    }

    List<Cluster> all(EcsScope scope) {
        List<Cluster> out = new ArrayList<>();
        for (KeyValue kv : store.range(EcsKeys.clusters(scope))) {
            out.add(Records.decode(kv.value(), Cluster.class));
        }
        return out;
    }

    ClusterUsage usage(EcsScope scope, String name) {
        return ClusterUsage.of(
                decodeAll(EcsKeys.containerInstances(scope, name), ContainerInstance.class),
                decodeAll(EcsKeys.tasks(scope, name), Task.class),
                decodeAll(EcsKeys.services(scope, name), Service.class));
    }

    /** What CreateCluster and DeleteCluster answer: the cluster with its tags and an empty statistics list. */
    Cluster renderAfterWrite(EcsScope scope, Cluster stored) {
        return render(scope, stored, CREATE_VIEW);
    }

    Cluster render(EcsScope scope, Cluster stored, List<String> include) {
        ClusterUsage usage = usage(scope, stored.clusterName());
        Cluster.Builder b = stored.toBuilder()
                .registeredContainerInstancesCount(usage.containerInstances())
                .runningTasksCount(usage.runningTasks())
                .pendingTasksCount(usage.pendingTasks())
                .activeServicesCount(usage.services())
                .capacityProviders(Optional.ofNullable(stored.capacityProviders()).orElse(List.of()))
                .defaultCapacityProviderStrategy(
                        Optional.ofNullable(stored.defaultCapacityProviderStrategy()).orElse(List.of()))
                // ECS sends settings, statistics and tags whether asked or not (MEMBER-PRESENCE.md):
                // include fills statistics and tags, which are otherwise empty.
                .settings(Optional.ofNullable(stored.settings()).orElse(List.of()))
                .configuration(include.contains(ClusterField.CONFIGURATIONS) ? stored.configuration() : null)
                .statistics(include.contains(ClusterField.STATISTICS) ? usage.statistics() : List.of())
                .tags(include.contains(ClusterField.TAGS) ? tags(scope, stored.clusterArn()) : List.of());
        return b.build();
    }

    private List<dev.stevedore.model.ecs.Tag> tags(EcsScope scope, String arn) {
        return store.get(EcsKeys.tags(scope, arn))
                .map(kv -> Records.decode(kv.value(), dev.stevedore.control.ecs.tags.Tags.TagSet.class).tags())
                .orElse(List.of());
    }

    private <T> List<T> decodeAll(String prefix, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (KeyValue kv : store.range(prefix)) {
            out.add(Records.decode(kv.value(), type));
        }
        return out;
    }
}
