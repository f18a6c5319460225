package dev.stevedore.control.ecs.placement;

import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;

/**
 * The plan applier's names for what it keeps per cluster and writes: a cluster's view key, an
 * instance's store key, a task ARN's parts.
 */
final class KeyPath {
    private KeyPath() {
    }

    static String clusterKey(EcsScope scope, String cluster) {
        return scope.keyPrefix() + cluster;
    }

    static String instanceKey(EcsScope scope, String cluster, String instanceArn) {
        return EcsKeys.containerInstance(scope, cluster, instanceArn.substring(instanceArn.lastIndexOf('/') + 1));
    }

    /** A task ARN's parts: {@code arn:aws:ecs:region:account:task/cluster/id}. */
    record TaskArn(EcsScope scope, String cluster, String id) {
        static TaskArn parse(String arn) {
            String[] colon = arn.split(":", 6);
            String[] resource = colon[5].split("/");
            return new TaskArn(new EcsScope(colon[4], colon[3]), resource[1], resource[2]);
        }
    }

    /** The cluster a container instance ARN names: {@code arn:aws:ecs:region:account:container-instance/cluster/id}. */
    static String instanceCluster(String instanceArn) {
        int start = instanceArn.indexOf(":container-instance/") + ":container-instance/".length();
        return instanceArn.substring(start, instanceArn.indexOf('/', start));
    }
}
