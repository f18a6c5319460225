package dev.stevedore.control.ecs.fargate;

import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.model.ecs.Cluster;

import java.util.List;
import java.util.Optional;

/**
 * The hosts given to the platform: Fargate capacity. They are container instances of a cluster
 * that users cannot name (a dot is outside ECS's cluster name pattern), so no ECS call of a user
 * lists, describes or runs anything in it; only agents register into it ({@code bin/stevedore agent
 * --fargate}) and report through it. Fargate tasks of every cluster of the account are placed on
 * these hosts, while their records stay in the cluster the user ran them in.
 */
public final class PlatformPool {
    /** The pool's cluster name: outside {@link Arns#NAME}, so it can never be a user's cluster. */
    public static final String CLUSTER = "fargate.platform";

    /** RunTask's failure when no platform host has room, in ECS's words for Fargate. */
    public static final String NO_CAPACITY =
            "Capacity is unavailable at this time. Please try again later or in a different availability zone";

    private PlatformPool() {
    }

    public static boolean isPool(String cluster) {
        return CLUSTER.equals(cluster);
    }

    /**
     * The cluster an agent's {@code cluster} parameter names: the pool's name or ARN for a platform
     * host, else what {@link Arns#clusterName} accepts.
     */
    public static Optional<String> agentCluster(EcsScope scope, String clusterOrArn) {
        if (CLUSTER.equals(clusterOrArn) || (scope.arnPrefix() + "cluster/" + CLUSTER).equals(clusterOrArn)) {
            return Optional.of(CLUSTER);
        }
        return Arns.clusterName(scope, clusterOrArn);
    }

    /** The pool as agent-facing calls see their cluster: always there and ACTIVE, never stored. */
    public static Cluster cluster(EcsScope scope) {
        return Cluster.builder()
                .clusterArn(scope.arnPrefix() + "cluster/" + CLUSTER)
                .clusterName(CLUSTER)
                .status("ACTIVE")
                .settings(List.of())
                .tags(List.of())
                .build();
    }

    /**
     * The stopped reason of a task that got no address because its subnets are full: ECS reports the
     * EC2 error it met creating the interface.
     */
    public static String noFreeAddresses(String subnetId) {
        return "Unexpected EC2 error while attempting to Create Network Interface in subnet '" + subnetId
                + "': InsufficientFreeAddressesInSubnet";
    }
}
