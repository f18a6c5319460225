package dev.stevedore.control.ecs.cluster;

import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Cluster;

/**
 * How other aggregates refer to a cluster: resolve the {@code cluster} parameter and require it ACTIVE.
 */
public final class Clusters {
    private Clusters() {
    }

    /** The cluster name a {@code cluster} parameter names (absent: {@code default}); not found otherwise. */
    public static String name(EcsScope scope, String clusterOrArn) {
        return Arns.clusterName(scope, clusterOrArn).orElseThrow(EcsErrors::clusterNotFound);
    }

    /** Reads the cluster as a condition of the transaction; missing or INACTIVE is ClusterNotFoundException. */
    public static Cluster requireActive(StoreTx tx, EcsScope scope, String name) {
        return ClusterOperations.activeCluster(tx, scope, name);
    }
}
