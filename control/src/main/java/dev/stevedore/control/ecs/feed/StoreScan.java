package dev.stevedore.control.ecs.feed;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reading a kind of record across every account and Region of the store, a chunk at a time, for
 * whoever builds an index at start-up (the feed, the controllers).
 */
public final class StoreScan {
    private static final String ROOT = "/ecs/";
    private static final int CHUNK = 1_000;

    private StoreScan() {
    }

    /** Every scope that has any record, found by jumping from one scope's keys to the next. */
    public static List<EcsScope> scopes(StateStore store) {
        List<EcsScope> scopes = new ArrayList<>();
        String after = "";
        while (true) {
            List<KeyValue> first = store.range(ROOT, after, 1);
            if (first.isEmpty()) {
                return scopes;
            }
            String[] parts = first.getFirst().key().split("/", 5);
            if (parts.length < 5) {
                after = first.getFirst().key();
                continue;
            }
            scopes.add(new EcsScope(parts[2], parts[3]));
            // Every key of this scope sorts before its prefix followed by U+FFFF.
            after = ROOT + parts[2] + "/" + parts[3] + "/" + '\uffff';
        }
    }

    /** A cluster of a scope. */
    public record ScopedCluster(EcsScope scope, String cluster) {
    }

    /**
     * Every cluster that has container instances, in every scope, found by jumping from one cluster's
     * instance keys to the next (one key read per cluster, not one per instance).
     */
    public static List<ScopedCluster> clustersWithInstances(StateStore store) {
        List<ScopedCluster> clusters = new ArrayList<>();
        for (EcsScope scope : scopes(store)) {
            String instances = scope.keyPrefix() + EcsKey.Kind.INSTANCE.segment() + "/";
            String after = "";
            while (true) {
                List<KeyValue> next = store.range(instances, after, 1);
                if (next.isEmpty()) {
                    break;
                }
                String cluster = next.getFirst().key().substring(instances.length()).split("/", 2)[0];
                clusters.add(new ScopedCluster(scope, cluster));
                // Every key of this cluster's instances sorts before its prefix followed by U+FFFF.
                after = instances + cluster + "/" + '\uffff';
            }
        }
        return clusters;
    }

    /** Every record of {@code kind} in every scope, in key order within a scope. */
    public static void forEach(StateStore store, EcsKey.Kind kind, Consumer<KeyValue> consumer) {
        for (EcsScope scope : scopes(store)) {
            forEachUnder(store, scope.keyPrefix() + kind.segment() + "/", consumer);
        }
    }

    public static void forEachUnder(StateStore store, String prefix, Consumer<KeyValue> consumer) {
        String after = "";
        while (true) {
            List<KeyValue> chunk = store.range(prefix, after, CHUNK);
            chunk.forEach(consumer);
            if (chunk.size() < CHUNK) {
                return;
            }
            after = chunk.getLast().key();
        }
    }
}
