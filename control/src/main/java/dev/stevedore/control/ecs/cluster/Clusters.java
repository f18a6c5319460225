package dev.stevedore.control.ecs.cluster;

import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.fargate.PlatformPool;
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

    /**
     * The cluster an agent-facing call names (registration, poll endpoint, state reports): any
     * user cluster, or the platform pool of Fargate hosts, which no other call accepts.
     */
    public static String agentClusterName(EcsScope scope, String clusterOrArn) {
        return PlatformPool.agentCluster(scope, clusterOrArn).orElseThrow(EcsErrors::clusterNotFound);
    }

    /** {@link #requireActive} for agent-facing calls: the platform pool is always there. */
    public static Cluster requireActiveForAgent(StoreTx tx, EcsScope scope, String name) {
        return PlatformPool.isPool(name) ? PlatformPool.cluster(scope) : requireActive(tx, scope, name);
    }

    /** Reads the cluster as a condition of the transaction; missing or INACTIVE is ClusterNotFoundException. */
    public static Cluster requireActive(StoreTx tx, EcsScope scope, String name) {
        return ClusterOperations.activeCluster(tx, scope, name);
    }

    /**
     * A capacity provider strategy checked against the cluster's associated providers, with the
     * defaults filled in (base 0, weight 0), as RunTask and CreateService take one.
     */
    public static java.util.List<dev.stevedore.model.ecs.CapacityProviderStrategyItem> checkedStrategy(
            EcsScope scope, Cluster cluster, java.util.List<dev.stevedore.model.ecs.CapacityProviderStrategyItem> strategy) {
        return CapacityProviders.check(scope, cluster.capacityProviders(), strategy).defaultStrategy();
    }
}
